// What a position source may not put on the map (issue 8, "Filtering"): zero or
// out-of-range coordinates, a terminal that says it has no fix, timestamps in the
// future or too old, the same fix twice, and impossible jumps (faster than a limit
// since the unit's previous fix). Every refusal is counted by reason.

export interface FixLimits {
  /** Faster than this between two fixes is a jump, not a drive (km/h). */
  maxSpeedKmh: number;
  /**
   * Clocks drift: this much ahead of ours is tolerated (ms). Kept to seconds: an accepted
   * fix from the future makes every genuine fix until then "older", holding the unit there.
   */
  maxFutureMs: number;
  /** Older than this is history, not a position (ms). */
  maxAgeMs: number;
}

export const DEFAULT_FIX_LIMITS: FixLimits = { maxSpeedKmh: 200, maxFutureMs: 5_000, maxAgeMs: 24 * 3_600_000 };

export type FixVerdict = 'ok' | 'zero' | 'out-of-range' | 'not-located' | 'future' | 'too-old' | 'duplicate' | 'older' | 'jump';

export interface CandidateFix {
  lng: number;
  lat: number;
  at: number;
  /** False when the terminal reports no valid positioning. */
  located?: boolean;
}

const R = 6_371_008.8;
const RAD = Math.PI / 180;
function meters(a: CandidateFix, b: CandidateFix): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The verdict on one fix, given the unit's previous accepted fix (or null). */
export function judgeFix(fix: CandidateFix, previous: CandidateFix | null, now: number, limits: FixLimits = DEFAULT_FIX_LIMITS): FixVerdict {
  if (!Number.isFinite(fix.lng) || !Number.isFinite(fix.lat) || Math.abs(fix.lat) > 90 || Math.abs(fix.lng) > 180) return 'out-of-range';
  if (fix.lng === 0 && fix.lat === 0) return 'zero';
  if (fix.located === false) return 'not-located';
  if (fix.at > now + limits.maxFutureMs) return 'future';
  if (fix.at < now - limits.maxAgeMs) return 'too-old';
  if (previous) {
    if (fix.at === previous.at) return 'duplicate';
    if (fix.at < previous.at) return 'older';
    const hours = (fix.at - previous.at) / 3_600_000;
    if (meters(previous, fix) / 1000 / hours > limits.maxSpeedKmh) return 'jump';
  }
  return 'ok';
}

/** Counts of accepted and refused fixes, by reason, since start. */
export class FixCounters {
  accepted = 0;
  readonly refused: Record<Exclude<FixVerdict, 'ok'>, number> = {
    zero: 0,
    'out-of-range': 0,
    'not-located': 0,
    future: 0,
    'too-old': 0,
    duplicate: 0,
    older: 0,
    jump: 0,
  };

  count(verdict: FixVerdict): void {
    if (verdict === 'ok') this.accepted++;
    else this.refused[verdict]++;
  }
}
