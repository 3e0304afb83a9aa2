// The ordering rule of the live feed: deltas apply only in exact seq order.

export type DeltaVerdict = 'apply' | 'stale' | 'gap';

/**
 * What to do with a delta (or a frame of deltas `from` … `seq`) when the state is
 * at `lastSeq`: apply it only when it starts right after.
 */
export function judgeDelta(lastSeq: number, seq: number, from = seq): DeltaVerdict {
  if (from === lastSeq + 1) return 'apply';
  return seq <= lastSeq ? 'stale' : 'gap';
}
