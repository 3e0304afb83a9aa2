// Exact point-in-polygon over flat coordinate arrays (crossing number, even–odd
// over every ring of every part, so holes and multipolygons need no special case).
//
// Boundary rule: a point on an edge or vertex belongs to the polygon that holds
// the point nudged infinitesimally east (and, infinitesimally less, north). The
// half-open test `(yi > y) !== (yj > y)` with a strict `x < xint`, computed from
// each edge's lower endpoint whichever way the ring runs, makes neighbours that
// share an edge compute bit-identical intersections: in a tiling, every point
// belongs to exactly one tile. A point on the county's outer boundary may
// therefore fall outside.

/** Rings stored flat: coords = [x0, y0, x1, y1, …]; ring r spans ringStart[r] .. ringStart[r+1] (in points). */
export interface FlatPolygon {
  coords: Float64Array;
  ringStart: Uint32Array;
}

/**
 * Whether (x, y) lies in the polygon: crossing number, even–odd over all rings
 * of all parts, so holes and multipolygon parts need no special case.
 *
 * On a boundary: the point belongs to the polygon that holds the point nudged
 * infinitesimally east (then, infinitesimally less, north). Each edge's
 * crossing is interpolated from its lower-y endpoint, so two polygons sharing
 * an edge compute the same bits and a point on it lands in exactly one of them;
 * a point on the outer boundary of a tiling (its east or north side) is outside.
 */
export function pointInFlatPolygon(poly: FlatPolygon, x: number, y: number): boolean {
  const { coords, ringStart } = poly;
  let inside = false;
  for (let r = 0; r + 1 < ringStart.length; r++) {
    const start = ringStart[r]!;
    const end = ringStart[r + 1]!;
    for (let i = start, j = end - 1; i < end; j = i++) {
      const xi = coords[2 * i]!;
      const yi = coords[2 * i + 1]!;
      const xj = coords[2 * j]!;
      const yj = coords[2 * j + 1]!;
      // Half-open in y (a vertex counts for the edge above it), strict in x.
      if (yi > y !== yj > y) {
        // Canonical orientation: interpolate from the lower endpoint, whichever way the ring runs.
        const xint = yi < yj ? xi + ((y - yi) * (xj - xi)) / (yj - yi) : xj + ((y - yj) * (xi - xj)) / (yi - yj);
        if (x < xint) inside = !inside;
      }
    }
  }
  return inside;
}

type Ring = number[][];

/** Flattens a Polygon's or MultiPolygon's rings; a closing vertex equal to the first is dropped. */
export function flattenPolygon(rings: Ring[]): FlatPolygon {
  let points = 0;
  for (const ring of rings) points += ringLength(ring);
  const coords = new Float64Array(points * 2);
  const ringStart = new Uint32Array(rings.length + 1);
  let p = 0;
  rings.forEach((ring, r) => {
    ringStart[r] = p;
    const n = ringLength(ring);
    for (let k = 0; k < n; k++) {
      coords[2 * p] = ring[k]![0]!;
      coords[2 * p + 1] = ring[k]![1]!;
      p++;
    }
  });
  ringStart[rings.length] = p;
  return { coords, ringStart };
}

function ringLength(ring: Ring): number {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.length - 1 : ring.length;
}
