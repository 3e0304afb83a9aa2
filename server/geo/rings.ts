// Input checking shared by the index and the adjacency: the rings of each
// feature, or an error naming the function, the feature index and what is wrong,
// so a bad grid file fails at start-up rather than as a wrong answer later.
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

export type PolygonFeature = Feature<Polygon | MultiPolygon | null>;

/** Every ring of every part of a Polygon or MultiPolygon feature (outer rings and holes alike). */
export function featureRings(feature: PolygonFeature, i: number, caller: string): Position[][] {
  const geometry = (feature as Partial<PolygonFeature> | null | undefined)?.geometry;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    const got = geometry ? `a ${String((geometry as { type?: unknown }).type)}` : 'no geometry';
    throw new Error(`${caller}: feature ${i} is not a Polygon or MultiPolygon (${got})`);
  }
  const coordinates: unknown = geometry.coordinates;
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    throw new Error(`${caller}: feature ${i} has an empty or degenerate ring (no coordinates)`);
  }
  if (geometry.type === 'MultiPolygon' && !coordinates.every((part) => Array.isArray(part) && part.length > 0)) {
    throw new Error(`${caller}: feature ${i} has an empty or degenerate ring (an empty part)`);
  }
  const rings = (geometry.type === 'Polygon' ? coordinates : coordinates.flat()) as unknown[];
  rings.forEach((ring, r) => {
    if (!Array.isArray(ring) || ring.length < 4) {
      throw new Error(`${caller}: feature ${i} has an empty or degenerate ring (ring ${r}: fewer than 4 positions)`);
    }
    for (const pt of ring as unknown[]) {
      if (!Array.isArray(pt) || !Number.isFinite(pt[0]) || !Number.isFinite(pt[1])) {
        throw new Error(`${caller}: feature ${i} has a non-finite coordinate (ring ${r}: ${JSON.stringify(pt)})`);
      }
    }
  });
  return rings as Position[][];
}

/** Checks the feature list itself, then every feature; returns each feature's rings. */
export function allFeatureRings(features: readonly PolygonFeature[], caller: string): Position[][][] {
  if (!Array.isArray(features)) throw new Error(`${caller}: expected an array of features`);
  if (features.length === 0) throw new Error(`${caller}: no features`);
  return features.map((f, i) => featureRings(f, i, caller));
}
