// Movement on the wire. Most of the live stream is vehicles reporting where they
// are; the store keeps each as a whole ambulance, but a screen that already holds
// the vehicle needs only its new fix. The gateway marks, once per delta, each
// ambulance change that differs from the vehicle just before it only in its fix
// (and the grid and time stamped with it); a marked change goes to a screen that
// holds the vehicle as a Move tuple (about a seventh of the bytes), and whole to
// one that does not (ClientView sends it whole when unsure).
import type { Change, Delta, EntityOf, Move } from '../schema/index.ts';

/** Fields an ambulance change may differ in and still count as movement only. */
const MOVEMENT_FIELDS = new Set(['fix', 'gridId', 'updatedAt']);

type Ambulance = EntityOf<'ambulances'>;
type AmbulanceUpsert = Extract<Change, { collection: 'ambulances'; op: 'upsert' }>;

/** Changes that are movement only (identity: a change copied for a screen is whole again). */
const moves = new WeakSet<Change>();

export const isMove = (change: Change): change is AmbulanceUpsert => moves.has(change);

/** A change that is not movement alone (it goes out within LIVE_STATE_MS). */
export const isState = (change: Change): boolean => !isMove(change);

/** Does `after` differ from `before` only in where it is? */
export function movedOnly(before: Ambulance, after: Ambulance): boolean {
  if (!after.fix) return false;
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (MOVEMENT_FIELDS.has(key) || a[key] === b[key]) continue;
    // Only the crew list is not a primitive.
    if (typeof a[key] !== 'object' || JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
  }
  return true;
}

/**
 * Marks the movement-only ambulance changes of a delta, given each vehicle as
 * it was just before the delta (undefined: not known, so nothing is marked).
 */
export function markMoves(delta: Delta, before: (id: string) => Ambulance | undefined): void {
  let within: Map<string, Ambulance | null> | null = null;
  for (const change of delta.changes) {
    if (change.collection !== 'ambulances') continue;
    const id = change.op === 'upsert' ? change.entity.id : change.id;
    // A vehicle changed twice in one delta compares with its first change.
    const earlier = within?.has(id) ? within.get(id) : before(id);
    (within ??= new Map()).set(id, change.op === 'upsert' ? change.entity : null);
    if (change.op === 'upsert' && earlier && movedOnly(earlier, change.entity)) moves.add(change);
  }
}

/** A moved vehicle with an earlier change in the same frame: that change with the new position. */
export function withMove(earlier: Change, move: AmbulanceUpsert): Change {
  // (A move never follows a removal; if it did, the whole vehicle would go.)
  if (earlier.op !== 'upsert' || earlier.collection !== 'ambulances') return { ...move };
  const { fix, gridId, updatedAt } = move.entity;
  return { ...earlier, entity: { ...earlier.entity, fix, gridId, updatedAt } };
}

const toTuple = ({ entity: a }: AmbulanceUpsert): Move => {
  const f = a.fix!;
  return [a.id, f.lng, f.lat, f.at, f.speed, f.heading, a.gridId, a.updatedAt];
};

/**
 * The frame as sent: marked changes become moves, applied after the changes. The
 * frame must be coalesced (coalesce.ts), so no vehicle's move precedes another
 * change of it.
 */
export function toWire(frame: Delta): Delta {
  if (!frame.changes.some(isMove)) return frame;
  const changes: Change[] = [];
  const out: Move[] = [];
  for (const change of frame.changes) {
    if (isMove(change)) out.push(toTuple(change));
    else changes.push(change);
  }
  const wire: Delta = { seq: frame.seq, at: frame.at, changes, moves: out };
  if (frame.from !== undefined) wire.from = frame.from;
  return wire;
}
