// Which view a path shows, and where each role lands after signing in.
import type { Role } from '../../../server/schema/index.ts';

export type View = 'board' | 'wall' | 'dispatch' | 'field';

export const viewPaths: Record<View, string> = { board: '/board', wall: '/wall', dispatch: '/dispatch', field: '/field' };

const homeOf: Record<Role, View> = {
  admin: 'board',
  commander: 'board',
  dispatcher: 'dispatch',
  field: 'field',
  wall: 'wall',
};

/** The view a path names; null for '/' and '/signin', which go to the role's home. */
export function viewOfPath(path: string): View | null {
  const name = path.replace(/\/+$/, '').slice(1);
  return name === 'board' || name === 'wall' || name === 'dispatch' || name === 'field' ? name : null;
}

/** The view to show: the one the path names, else the role's own. */
export function viewFor(path: string, role: Role): View {
  return viewOfPath(path) ?? homeOf[role];
}
