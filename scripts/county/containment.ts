// Which grid holds a point (turf's point-in-polygon over a bbox prefilter, kept
// independent of the server's locator so the tests check one against the other),
// and which grids share an edge (adjacent cells share exact rounded vertices).
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
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

/** Grid id → ids of the grids sharing at least two vertices (an edge) with it. */
export function gridAdjacency(grids: GridFeature[]): Map<string, string[]> {
  const byVertex = new Map<string, Set<number>>();
  grids.forEach((g, i) => {
    for (const ring of ringsOf(g)) for (const [x, y] of ring) {
      const key = `${x},${y}`;
      let set = byVertex.get(key);
      if (!set) byVertex.set(key, (set = new Set()));
      set.add(i);
    }
  });
  const shared = grids.map(() => new Map<number, number>());
  for (const set of byVertex.values()) {
    for (const a of set) for (const b of set) if (a !== b) shared[a]!.set(b, (shared[a]!.get(b) ?? 0) + 1);
  }
  const out = new Map<string, string[]>();
  grids.forEach((g, i) => {
    const ids = [...shared[i]!].filter(([, n]) => n >= 2).map(([j]) => grids[j]!.properties.id);
    out.set(g.properties.id, ids.sort());
  });
  return out;
}
