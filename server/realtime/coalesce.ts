// Coalescing deltas into one frame for a screen. Every change carries a whole
// entity, so applying the frame gives the same state as applying the deltas one
// by one. Movement is coalesced: a vehicle's move (moves.ts marks them) replaces
// its move before, or is folded into its whole change earlier in the frame; a
// whole change after a move makes that move needless. Anything else (a status,
// a queue count, an alert) is kept, in order: state changes are batched, never
// dropped. The result has each vehicle's move at most once and never before
// another change of it, as toWire needs.
import type { Change, Delta } from '../schema/index.ts';
import { isMove, withMove } from './moves.ts';

const keyOf = (c: Change) => `${c.collection}\u0000${c.op === 'upsert' ? c.entity.id : c.id}`;

/** One frame covering deltas[0].seq … deltas[last].seq (deltas consecutive, oldest first). */
export function coalesce(deltas: readonly Delta[]): Delta {
  const first = deltas[0];
  const last = deltas[deltas.length - 1];
  if (!first || !last) throw new Error('coalesce: no deltas');
  if (deltas.length === 1 && !first.changes.some(isMove)) return first;
  const out: (Change | null)[] = [];
  /** Where each entity's latest change sits in `out`. */
  const latest = new Map<string, number>();
  for (const delta of deltas) {
    for (const change of delta.changes) {
      if (change.collection !== 'ambulances') {
        out.push(change);
        continue;
      }
      const key = keyOf(change);
      const at = latest.get(key);
      const earlier = at === undefined ? undefined : out[at];
      if (earlier && isMove(change)) {
        out[at!] = isMove(earlier) ? change : withMove(earlier, change);
        continue;
      }
      // Whole again: the move before it says nothing the change does not.
      if (earlier && isMove(earlier)) out[at!] = null;
      latest.set(key, out.length);
      out.push(change);
    }
  }
  return { from: first.from ?? first.seq, seq: last.seq, at: last.at, changes: out.filter((c): c is Change => c !== null) };
}

/** The delta as covering `from` … seq (no `from` when it is seq alone); itself when it already says so. */
export function ranged(delta: Delta, from: number): Delta {
  if ((delta.from ?? delta.seq) === from && (from !== delta.seq || delta.from === undefined)) return delta;
  const out: Delta = from === delta.seq ? { seq: delta.seq, at: delta.at, changes: delta.changes } : { from, seq: delta.seq, at: delta.at, changes: delta.changes };
  if (delta.moves) out.moves = delta.moves;
  return out;
}
