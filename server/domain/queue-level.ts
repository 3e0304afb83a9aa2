// Sampling-point load: estimated wait = queue ÷ throughput, graded as Shenzhen's
// 2022 finder did (畅通 ≤ 25 min, 忙碌 ≥ 25, 拥堵 ≥ 50, 休息 when not open), and, when
// the county sets them, by people waiting as well: whichever says busier counts.
import type { SamplingPoint } from '../schema/index.ts';

export type QueueLevel = 'smooth' | 'busy' | 'congested' | 'resting';

export interface QueueThresholds {
  /** Minutes of estimated wait at which a point becomes busy (忙碌). */
  busyMinutes: number;
  /** Minutes of estimated wait at which a point becomes congested (拥堵). */
  congestedMinutes: number;
  /** People waiting at which a point becomes busy, whatever its wait (unset: wait only). */
  busyPeople?: number;
  /** People waiting at which a point becomes congested, whatever its wait (unset: wait only). */
  congestedPeople?: number;
}

export const DEFAULT_QUEUE_THRESHOLDS: QueueThresholds = { busyMinutes: 25, congestedMinutes: 50 };

/** Estimated wait in minutes; Infinity when people queue at a point with no desk staffed. */
export function estimatedWaitMinutes(point: Pick<SamplingPoint, 'queue' | 'desks' | 'deskThroughput'>): number {
  if (point.queue === 0) return 0;
  const perHour = point.desks * point.deskThroughput;
  return perHour > 0 ? (point.queue / perHour) * 60 : Infinity;
}

export function queueLevel(point: Pick<SamplingPoint, 'status' | 'queue' | 'desks' | 'deskThroughput'>, thresholds: QueueThresholds = DEFAULT_QUEUE_THRESHOLDS): QueueLevel {
  if (point.status !== 'open') return 'resting';
  const wait = estimatedWaitMinutes(point);
  const atLeast = (people: number | undefined) => people !== undefined && point.queue >= people;
  if (wait >= thresholds.congestedMinutes || atLeast(thresholds.congestedPeople)) return 'congested';
  if (wait >= thresholds.busyMinutes || atLeast(thresholds.busyPeople)) return 'busy';
  return 'smooth';
}
