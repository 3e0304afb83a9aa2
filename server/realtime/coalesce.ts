// Coalescing deltas into one frame for a screen. Every change carries a whole
// entity, so applying the frame gives the same state as applying the deltas one
// by one. Movement is coalesced: an ambulance change that differs from the one
// before it only in its fix (and the grid and time stamped with it) replaces
// it. Anything else (a status, a queue count, an alert) is kept, in order: state
// changes are batched, never dropped.
import type { Change, Delta } from '../schema/index.ts';

/** Fields an ambulance change may differ in and still count as movement only. */
const MOVEMENT_FIELDS = new Set(['fix', 'gridId', 'updatedAt']);

function movementOnly(before: Change, after: Change): boolean {
  if (before.op !== 'upsert' || after.op !== 'upsert') return false;
  if (before.collection !== 'ambulances' || after.collection !== 'ambulances') return false;
  const a = before.entity as Record<string, unknown>;
  const b = after.entity as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (MOVEMENT_FIELDS.has(key) || a[key] === b[key]) continue;
    // Runs per screen per frame: serialise only the few values that are not primitives (the crew list).
    if (typeof a[key] !== 'object' || JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
  }
  return true;
}

const keyOf = (c: Change) => `${c.collection}\u0000${c.op === 'upsert' ? c.entity.id : c.id}`;

/** One frame covering deltas[0].seq … deltas[last].seq (deltas consecutive, oldest first). */
export function coalesce(deltas: readonly Delta[]): Delta {
  const first = deltas[0];
  const last = deltas[deltas.length - 1];
  if (!first || !last) throw new Error('coalesce: no deltas');
  if (deltas.length === 1) return first;
  const out: Change[] = [];
  /** Where each entity's latest change sits in `out`. */
  const latest = new Map<string, number>();
  for (const delta of deltas) {
    for (const change of delta.changes) {
      const key = keyOf(change);
      const at = latest.get(key);
      if (at !== undefined && movementOnly(out[at]!, change)) {
        out[at] = change;
      } else {
        latest.set(key, out.length);
        out.push(change);
      }
    }
  }
  return { from: first.from ?? first.seq, seq: last.seq, at: last.at, changes: out };
}
