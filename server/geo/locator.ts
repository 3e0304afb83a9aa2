// The containment service over features with string ids: which grid holds a
// point, a grid by id, and its neighbours.
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { gridNeighbours } from './adjacency.ts';
import { buildGridIndex } from './grid-index.ts';

export interface Locator<P extends { id: string }> {
  readonly ids: readonly string[];
  /** The properties of the grid holding the point, or null outside every grid. */
  locate(lng: number, lat: number): P | null;
  byId(id: string): P | undefined;
  /** Ids of the grids sharing an edge with this one ([] for an unknown id). */
  neighbours(id: string): string[];
}

export function createLocator<P extends { id: string }>(fc: FeatureCollection<Polygon | MultiPolygon, P>): Locator<P> {
  if (!fc || !Array.isArray(fc.features)) throw new Error('createLocator: expected a FeatureCollection with a features array');
  const props = fc.features.map((f, i) => {
    if (!f?.properties || typeof f.properties.id !== 'string') throw new Error(`createLocator: feature ${i} has no string properties.id`);
    return f.properties;
  });
  const byId = new Map<string, number>();
  props.forEach((p, i) => {
    if (byId.has(p.id)) throw new Error(`createLocator: duplicate id ${p.id} (features ${byId.get(p.id)} and ${i})`);
    byId.set(p.id, i);
  });
  const index = buildGridIndex(fc.features);
  const adjacency = gridNeighbours(fc.features);
  return {
    ids: props.map((p) => p.id),
    locate(lng, lat) {
      const i = index.locate(lng, lat);
      return i < 0 ? null : props[i]!;
    },
    byId(id) {
      const i = byId.get(id);
      return i === undefined ? undefined : props[i];
    },
    neighbours(id) {
      const i = byId.get(id);
      return i === undefined ? [] : adjacency[i]!.map((j) => props[j]!.id);
    },
  };
}
