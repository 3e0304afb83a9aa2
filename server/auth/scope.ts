// What a role may change beyond its permissions: a field lead only their own
// sampling points (the ones an admin assigned to their account).
import type { LiveStore, StoredSession } from '../store/store.ts';

export async function mayChangeSamplingPoint(store: LiveStore, session: StoredSession, pointId: string): Promise<boolean> {
  if (session.role !== 'field') return true;
  const user = await store.getUser(session.username);
  return user?.samplingPoints?.includes(pointId) ?? false;
}

export const NOT_YOUR_POINT = { error: 'forbidden', message: '该采样点不属于您负责 (not one of your sampling points)' } as const;
