// A centre for a town or village that has none in the file, from its grids: the grids'
// population-weighted centroid (each grid counted at a point inside it, county/grid-points.ts),
// kept when it falls inside one of the place's own grids, else snapped to the point of the
// place's grid nearest to it, so the centre always lies inside the place. Pure.
import { distanceMeters } from '../../geo/distance.ts';
import type { GridProps, LngLat } from '../../schema/index.ts';

export interface CentreGrids {
  /** The grids of the place. */
  grids: readonly GridProps[];
  /** A point inside a grid. */
  gridPoint: (gridId: string) => LngLat | undefined;
  /** The grid (of all the county's) at a point. */
  locate: (lng: number, lat: number) => GridProps | null;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function centreFromGrids({ grids, gridPoint, locate }: CentreGrids): LngLat | null {
  const points = grids.flatMap((g) => {
    const at = gridPoint(g.id);
    return at ? [{ id: g.id, at, weight: g.population }] : [];
  });
  if (points.length === 0) return null;
  const total = points.reduce((s, p) => s + p.weight, 0);
  const weightOf = (p: (typeof points)[number]) => (total > 0 ? p.weight : 1);
  const sum = points.reduce((s, p) => s + weightOf(p), 0);
  const centroid: LngLat = [points.reduce((s, p) => s + p.at[0] * weightOf(p), 0) / sum, points.reduce((s, p) => s + p.at[1] * weightOf(p), 0) / sum];
  const own = new Set(points.map((p) => p.id));
  const there = locate(centroid[0], centroid[1]);
  if (there && own.has(there.id)) return [round6(centroid[0]), round6(centroid[1])];
  let best = points[0]!;
  let bestM = Infinity;
  for (const p of points) {
    const m = distanceMeters(centroid[0], centroid[1], p.at[0], p.at[1]);
    if (m < bestM) [best, bestM] = [p, m];
  }
  return [round6(best.at[0]), round6(best.at[1])];
}
