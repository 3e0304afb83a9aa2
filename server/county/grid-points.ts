// A point inside each grid (not its centroid, which can fall outside a concave one),
// for a place picked as a grid rather than clicked: computed when first asked.
import { pointOnFeature } from '@turf/turf';
import type { GridCollection, LngLat } from '../schema/index.ts';

export function gridPoints(grids: GridCollection): (gridId: string) => LngLat | undefined {
  const byId = new Map(grids.features.map((f) => [f.properties.id, f]));
  const cache = new Map<string, LngLat>();
  return (gridId) => {
    const cached = cache.get(gridId);
    if (cached) return cached;
    const feature = byId.get(gridId);
    if (!feature) return undefined;
    const [lng = 0, lat = 0] = pointOnFeature(feature).geometry.coordinates;
    const point: LngLat = [lng, lat];
    cache.set(gridId, point);
    return point;
  };
}
