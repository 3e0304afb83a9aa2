// Small geometry helpers for the generator: rounding, point-in-outline, distances.
import type { Polygon } from 'geojson';
import { flattenPolygon, pointInFlatPolygon, type FlatPolygon } from '../../server/geo/point-in-polygon.ts';

export type Pt = [number, number];

/** Every coordinate written is rounded the same way, so shared vertices stay identical. */
export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
export const roundPoint = (p: number[]): Pt => [round6(p[0]!), round6(p[1]!)];

export function outlineTester(outline: Polygon): (x: number, y: number) => boolean {
  const flat: FlatPolygon = flattenPolygon(outline.coordinates);
  return (x, y) => pointInFlatPolygon(flat, x, y);
}

export function bboxOf(rings: number[][][]): [number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const ring of rings)
    for (const [x, y] of ring) {
      minX = Math.min(minX, x!);
      minY = Math.min(minY, y!);
      maxX = Math.max(maxX, x!);
      maxY = Math.max(maxY, y!);
    }
  return [minX, minY, maxX, maxY];
}

/** Metres per degree of longitude and latitude near the county (an equirectangular approximation is plenty here). */
export const M_PER_DEG_LAT = 111_195;
export let M_PER_DEG_LNG = 111_195 * Math.cos((40.5 * Math.PI) / 180);

/**
 * The latitude the distances are scaled at: the county's own, to the half degree (40.5 for
 * Guazhou). One generation runs at one latitude; generateCounty sets it before anything else.
 */
export function useLatitude(lat: number): void {
  M_PER_DEG_LNG = 111_195 * Math.cos((lat * Math.PI) / 180);
}

/** Squared distance in m² between two lng/lat points. */
export const dist2 = (a: Pt, b: Pt): number => ((a[0] - b[0]) * M_PER_DEG_LNG) ** 2 + ((a[1] - b[1]) * M_PER_DEG_LAT) ** 2;

/** The point `metres` away from p in direction `angle` (radians from east). */
export const offset = (p: Pt, metres: number, angle: number): Pt => [p[0] + (Math.cos(angle) * metres) / M_PER_DEG_LNG, p[1] + (Math.sin(angle) * metres) / M_PER_DEG_LAT];
