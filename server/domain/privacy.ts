// What a screen without need-to-know (the command-center wall, seen by everyone in the
// room) may not show: patients' names and addresses, and the names of crews and staff.
// Pure: the entity with those fields blanked, everything operational kept.
import type { CollectionName, EntityOf, Role } from '../schema/index.ts';

/** Roles whose screens get redacted entities. */
export const REDACTED_ROLES: ReadonlySet<Role> = new Set(['wall']);

export function redact<C extends CollectionName>(collection: C, entity: EntityOf<C>): EntityOf<C> {
  if (collection === 'transfers') {
    const t = entity as EntityOf<'transfers'>;
    return {
      ...t,
      patient: '',
      pickup: { ...t.pickup, address: '' },
      handover: t.handover ? { ...t.handover, sendingSide: '', crew: [], receivedBy: '' } : null,
      steps: t.steps.map((s) => ({ ...s, by: '' })),
      createdBy: '',
    } as EntityOf<C>;
  }
  if (collection === 'ambulances') return { ...(entity as EntityOf<'ambulances'>), crew: [] } as EntityOf<C>;
  if (collection === 'testingRounds') {
    const r = entity as EntityOf<'testingRounds'>;
    return { ...r, startedBy: '', endedBy: r.endedBy === null ? null : '' } as EntityOf<C>;
  }
  return entity;
}

/** All collections, redacted (a new object; entities that need no change are shared). */
export function redactCollections<T extends { [C in CollectionName]: Record<string, EntityOf<C>> }>(collections: T): T {
  const out = { ...collections } as Record<string, Record<string, unknown>>;
  for (const name of ['transfers', 'ambulances', 'testingRounds'] as const) {
    out[name] = Object.fromEntries(Object.entries(collections[name]).map(([id, e]) => [id, redact(name, e as EntityOf<typeof name>)]));
  }
  return out as T;
}
