// How old a unit's last fix is, and whether it is too old to trust (a fix older than
// the limit, FIX_STALE_SECONDS, counts as an unknown position). Pure; the dispatcher
// console and the recommendation use the same rule.
import type { PositionFix } from '../schema/index.ts';

export const DEFAULT_FIX_STALE_MS = 120_000;

/** Milliseconds since the fix (0 for a fix stamped ahead of our clock); Infinity without one. */
export function fixAgeMs(fix: Pick<PositionFix, 'at'> | null, now: number): number {
  return fix ? Math.max(0, now - fix.at) : Infinity;
}

/** Stale: no fix, or one older than the limit (a fix exactly at the limit is still fresh). */
export function isFixStale(fix: Pick<PositionFix, 'at'> | null, now: number, staleMs = DEFAULT_FIX_STALE_MS): boolean {
  return fixAgeMs(fix, now) > staleMs;
}
