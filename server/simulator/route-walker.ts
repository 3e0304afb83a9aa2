// A vehicle driving a given route (a router's geometry, [lng, lat] points) from its start
// to its end, as the simulator's units drive to a pickup, a hospital or a decontamination
// point. Pure state: advance it by metres, read its position.
import { distanceMeters } from '../geo/distance.ts';
import type { LngLat } from '../schema/index.ts';
import { headingDegrees } from './road-graph.ts';
import type { WalkerPosition } from './road-walker.ts';

export interface RouteWalk {
  points: LngLat[];
  /** Metres from the start to each point. */
  cumulative: number[];
  /** Metres driven so far. */
  along: number;
}

export function walkRoute(points: LngLat[]): RouteWalk {
  if (points.length === 0) throw new Error('walkRoute: a route needs at least one point');
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    cumulative.push(cumulative[i - 1]! + distanceMeters(a[0], a[1], b[0], b[1]));
  }
  return { points, cumulative, along: 0 };
}

export const routeLength = (w: RouteWalk): number => w.cumulative.at(-1)!;
export const routeDone = (w: RouteWalk): boolean => w.along >= routeLength(w);

/** Drives on by `meters`, in place, stopping at the end. */
export function advanceRoute(w: RouteWalk, meters: number): void {
  w.along = Math.min(routeLength(w), w.along + Math.max(0, meters));
}

export function routePosition(w: RouteWalk): WalkerPosition {
  const { points, cumulative } = w;
  let i = 1;
  while (i < points.length - 1 && cumulative[i]! < w.along) i++;
  const a = points[Math.max(0, i - 1)]!;
  const b = points[Math.min(points.length - 1, i)]!;
  const span = (cumulative[i] ?? 0) - (cumulative[i - 1] ?? 0);
  const t = span > 0 ? Math.min(1, Math.max(0, (w.along - cumulative[i - 1]!) / span)) : 1;
  return {
    lng: Math.round((a[0] + (b[0] - a[0]) * t) * 1e6) / 1e6,
    lat: Math.round((a[1] + (b[1] - a[1]) * t) * 1e6) / 1e6,
    heading: Math.round(headingDegrees(a, b)) % 360,
  };
}
