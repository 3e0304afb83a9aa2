// Which grid holds a point (turf's point-in-polygon over a bbox prefilter, kept
// independent of the server's locator so the tests check one against the other),
// and which grids share an edge.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { gridNeighbours } from '../../server/geo/adjacency.ts';
import { bboxOf, type Pt } from './geometry.ts';
import type { GridFeature } from './voronoi-grids.ts';

const ringsOf = (g: GridFeature): number[][][] => (g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat());

export function gridLookup(grids: GridFeature[]): (p: Pt) => string | null {
  const boxes = grids.map((g) => bboxOf(ringsOf(g)));
  return (p) => {
    for (let i = 0; i < grids.length; i++) {
      const b = boxes[i]!;
      if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
      if (booleanPointInPolygon(p, grids[i]!, { ignoreBoundary: true })) return grids[i]!.properties.id;
    }
    return null;
  };
}

/** Grid id → ids of the grids sharing an edge with it (the server's own adjacency). */
export function gridAdjacency(grids: GridFeature[]): Map<string, string[]> {
  const neighbours = gridNeighbours(grids);
  return new Map(grids.map((g, i) => [g.properties.id, neighbours[i]!.map((j) => grids[j]!.properties.id).sort()]));
}
