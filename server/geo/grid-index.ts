// Which polygon holds a point: build once over a FeatureCollection, query many
// times. Bounding boxes of every polygon part go into a flatbush index; the
// candidates are then tested exactly (see point-in-polygon.ts for the rule on
// shared edges). No allocation per query.
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { flattenPolygon, pointInFlatPolygon, type FlatPolygon } from './point-in-polygon.ts';

export interface GridIndex {
  readonly size: number;
  /** The index of the feature holding the point, or -1. */
  locate(lng: number, lat: number): number;
}

export function buildGridIndex(features: readonly Feature<Polygon | MultiPolygon | null>[]): GridIndex {
  if (features.length === 0) throw new Error('buildGridIndex: no features');
  // A feature's parts are tested together (even–odd over all its rings).
  const polys: FlatPolygon[] = [];
  const boxes: number[] = [];
  features.forEach((feature, i) => {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new Error(`buildGridIndex: feature ${i} is not a Polygon or MultiPolygon`);
    }
    const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
    if (rings.length === 0 || rings.some((r) => r.length < 4)) {
      throw new Error(`buildGridIndex: feature ${i} has an empty or degenerate ring`);
    }
    const flat = flattenPolygon(rings);
    polys.push(flat);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < flat.coords.length; k += 2) {
      const x = flat.coords[k]!;
      const y = flat.coords[k + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`buildGridIndex: feature ${i} has a non-finite coordinate`);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    boxes.push(minX, minY, maxX, maxY);
  });
  const tree = new Flatbush(polys.length);
  for (let i = 0; i < boxes.length; i += 4) tree.add(boxes[i]!, boxes[i + 1]!, boxes[i + 2]!, boxes[i + 3]!);
  tree.finish();

  // One reusable filter closure: flatbush calls it per candidate; it records the hit.
  let qx = 0;
  let qy = 0;
  let found = -1;
  const filter = (index: number): boolean => {
    if (found < 0 && pointInFlatPolygon(polys[index]!, qx, qy)) found = index;
    return false;
  };
  return {
    size: polys.length,
    locate(lng: number, lat: number): number {
      qx = lng;
      qy = lat;
      found = -1;
      tree.search(lng, lat, lng, lat, filter);
      return found;
    },
  };
}
