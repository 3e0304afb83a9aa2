// The ordering rule of the live feed: deltas apply only in exact seq order.

export type DeltaVerdict = 'apply' | 'stale' | 'gap';

/** What to do with a delta numbered `seq` when the state is at `lastSeq`. */
export function judgeDelta(lastSeq: number, seq: number): DeltaVerdict {
  if (seq === lastSeq + 1) return 'apply';
  return seq <= lastSeq ? 'stale' : 'gap';
}
