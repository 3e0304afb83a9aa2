// Which grids are neighbours: two polygons that share at least one boundary
// segment (same two endpoints, either direction). Grids meeting at a single
// vertex are not neighbours. Relies on neighbours sharing bit-identical vertices,
// as the generated grids and any clean tiling do.
import { allFeatureRings, type PolygonFeature } from './rings.ts';

function segmentKey(ax: number, ay: number, bx: number, by: number): string {
  return ax < bx || (ax === bx && ay < by) ? `${ax},${ay},${bx},${by}` : `${bx},${by},${ax},${ay}`;
}

/** Sorted neighbour indices for each feature. */
export function gridNeighbours(features: readonly PolygonFeature[]): number[][] {
  const all = allFeatureRings(features, 'gridNeighbours');
  const owners = new Map<string, number>();
  const neighbours = all.map(() => new Set<number>());
  all.forEach((rings, i) => {
    for (const ring of rings) {
      // k = 0 pairs the last position with the first: the closing segment of an unclosed ring, a no-op on a closed one.
      for (let k = 0; k < ring.length; k++) {
        const a = ring[k === 0 ? ring.length - 1 : k - 1]!;
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
