// A crowded sampling point (拥堵) points people to the nearest open points with short
// waits (畅通), so a field lead can send the queue on and the wall can say where to.
import type { SamplingPoint } from '../schema/index.ts';
import { distanceMeters } from '../geo/distance.ts';
import { DEFAULT_QUEUE_THRESHOLDS, estimatedWaitMinutes, queueLevel, type QueueThresholds } from './queue-level.ts';

export interface Alternative {
  id: string;
  name: string;
  distanceM: number;
  waitMinutes: number;
}

export interface AlternativeOptions {
  thresholds?: QueueThresholds;
  /** Farther than this is no alternative for people on foot or by bus (default 15 km). */
  maxDistanceM?: number;
  /** How many to name (default 3). */
  limit?: number;
}

type Candidate = Pick<SamplingPoint, 'id' | 'name' | 'location' | 'status' | 'queue' | 'desks' | 'deskThroughput' | 'serves'>;

/**
 * For a congested point: the nearest other points that are open, flowing smoothly and
 * take everyone the crowded point takes (a point for key groups only cannot take a
 * crowd from a point open to all), nearest first. Empty when the point is not congested.
 */
export function alternativesFor(point: Candidate, all: Iterable<Candidate>, options: AlternativeOptions = {}): Alternative[] {
  const thresholds = options.thresholds ?? DEFAULT_QUEUE_THRESHOLDS;
  if (queueLevel(point, thresholds) !== 'congested') return [];
  const maxDistanceM = options.maxDistanceM ?? 15_000;
  const found: Alternative[] = [];
  for (const other of all) {
    if (other.id === point.id || queueLevel(other, thresholds) !== 'smooth') continue;
    if (point.serves === 'all' && other.serves !== 'all') continue;
    const distanceM = distanceMeters(point.location[0], point.location[1], other.location[0], other.location[1]);
    if (distanceM > maxDistanceM) continue;
    found.push({ id: other.id, name: other.name, distanceM, waitMinutes: estimatedWaitMinutes(other) });
  }
  return found.sort((a, b) => a.distanceM - b.distanceM || a.waitMinutes - b.waitMinutes).slice(0, options.limit ?? 3);
}
