// Which grids are neighbours: two polygons that share at least one boundary
// segment (same two endpoints, either direction). Grids meeting at a single
// vertex are not neighbours. Relies on neighbours sharing bit-identical vertices,
// as the generated grids and any clean tiling do.
import type { Feature, MultiPolygon, Polygon } from 'geojson';

function segmentKey(ax: number, ay: number, bx: number, by: number): string {
  return ax < bx || (ax === bx && ay < by) ? `${ax},${ay},${bx},${by}` : `${bx},${by},${ax},${ay}`;
}

/** Sorted neighbour indices for each feature. */
export function gridNeighbours(features: readonly Feature<Polygon | MultiPolygon>[]): number[][] {
  const owners = new Map<string, number>();
  const neighbours = features.map(() => new Set<number>());
  features.forEach((feature, i) => {
    const g = feature.geometry;
    const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
    for (const ring of rings) {
      for (let k = 1; k < ring.length; k++) {
        const a = ring[k - 1]!;
        const b = ring[k]!;
        if (a[0] === b[0] && a[1] === b[1]) continue;
        const key = segmentKey(a[0]!, a[1]!, b[0]!, b[1]!);
        const other = owners.get(key);
        if (other === undefined) owners.set(key, i);
        else if (other !== i) {
          neighbours[i]!.add(other);
          neighbours[other]!.add(i);
        }
      }
    }
  });
  return neighbours.map((set) => [...set].sort((a, b) => a - b));
}
