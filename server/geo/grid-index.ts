// Which polygon holds a point: build once over polygons, query many times.
//
// The bounding box is cut into a raster of cells. A cell records the polygons
// whose boundary passes through it (`edge` lists, built by walking each edge's
// cells) and the one polygon, if any, that wholly contains it without a boundary
// in it (`full`, found by testing the cell's centre with a flatbush query). A
// query reads its cell: most cells are wholly inside one grid or outside all,
// and answer at once; the rest test only the few polygons crossing them,
// exactly (see point-in-polygon.ts for the rule on shared edges). Typed arrays,
// no allocation per query.
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { flattenPolygon, pointInFlatPolygon, type FlatPolygon } from './point-in-polygon.ts';

export interface GridIndex {
  readonly size: number;
  /** The index of the feature holding the point (the lowest, if several overlap), or -1. */
  locate(lng: number, lat: number): number;
}

export interface GridIndexOptions {
  /** Raster cells in all; more cells answer more points without a polygon test. */
  cells?: number;
}

export function buildGridIndex(
  features: readonly Feature<Polygon | MultiPolygon | null>[],
  options: GridIndexOptions = {},
): GridIndex {
  if (features.length === 0) throw new Error('buildGridIndex: no features');
  const polys = features.map(flattenFeature);
  const boxes = polys.map(bboxOfFlat);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b[0]); minY = Math.min(minY, b[1]); maxX = Math.max(maxX, b[2]); maxY = Math.max(maxY, b[3]);
  }
  // Square-ish cells, as many as asked (default: enough that most cells are uniform).
  const total = options.cells ?? Math.min(1 << 20, Math.max(1 << 16, polys.length * 512));
  const w = Math.max(maxX - minX, 1e-12);
  const h = Math.max(maxY - minY, 1e-12);
  const nx = Math.max(1, Math.round(Math.sqrt((total * w) / h)));
  const ny = Math.max(1, Math.round(total / nx));
  const sx = nx / w;
  const sy = ny / h;
  const col = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) * sx)));
  const row = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) * sy)));

  // Pass 1 counts, pass 2 fills: CSR lists of the polygons whose edges touch each cell.
  const counts = new Uint32Array(nx * ny + 1);
  const lastMarked = new Int32Array(nx * ny).fill(-1);
  const visit = (p: number, mark: (cell: number) => void) => {
    const { coords, ringStart } = polys[p]!;
    for (let r = 0; r + 1 < ringStart.length; r++) {
      const start = ringStart[r]!;
      const end = ringStart[r + 1]!;
      for (let i = start, j = end - 1; i < end; j = i++) {
        edgeCells(coords[2 * j]!, coords[2 * j + 1]!, coords[2 * i]!, coords[2 * i + 1]!, (c, r0, r1) => {
          for (let rr = r0; rr <= r1; rr++) {
            const cell = rr * nx + c;
            if (lastMarked[cell] !== p) {
              lastMarked[cell] = p;
              mark(cell);
            }
          }
        });
      }
    }
  };
  // Cells an edge passes through: per column, the rows its y spans there, widened by one row against rounding.
  const edgeCells = (ax: number, ay: number, bx: number, by: number, emit: (c: number, r0: number, r1: number) => void) => {
    if (ax > bx) [ax, ay, bx, by] = [bx, by, ax, ay];
    const c0 = col(ax);
    const c1 = col(bx);
    for (let c = c0; c <= c1; c++) {
      const xl = Math.max(ax, minX + c / sx);
      const xr = Math.min(bx, minX + (c + 1) / sx);
      const yl = bx === ax ? ay : ay + ((xl - ax) * (by - ay)) / (bx - ax);
      const yr = bx === ax ? by : ay + ((xr - ax) * (by - ay)) / (bx - ax);
      emit(c, Math.max(0, row(Math.min(yl, yr)) - 1), Math.min(ny - 1, row(Math.max(yl, yr)) + 1));
    }
  };
  for (let p = 0; p < polys.length; p++) visit(p, (cell) => counts[cell + 1]!++);
  for (let k = 1; k < counts.length; k++) counts[k]! += counts[k - 1]!;
  const edgeList = new Uint32Array(counts[nx * ny]!);
  const fill = counts.slice(0, nx * ny);
  lastMarked.fill(-1);
  for (let p = 0; p < polys.length; p++) visit(p, (cell) => (edgeList[fill[cell]!++] = p));

  // A cell no boundary touches lies wholly inside or outside each polygon: its centre tells which.
  const tree = new Flatbush(polys.length);
  for (const b of boxes) tree.add(b[0], b[1], b[2], b[3]);
  tree.finish();
  const full = new Int32Array(nx * ny).fill(-1);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const cell = r * nx + c;
      const x = minX + (c + 0.5) / sx;
      const y = minY + (r + 0.5) / sy;
      let best = -1;
      for (const p of tree.search(x, y, x, y)) {
        if ((best >= 0 && p > best) || onEdgeList(edgeList, counts, cell, p)) continue;
        if (pointInFlatPolygon(polys[p]!, x, y)) best = p;
      }
      full[cell] = best;
    }
  }

  return {
    size: polys.length,
    locate(lng: number, lat: number): number {
      // Outside the box (or NaN): in no polygon. The east and north edges are outside by the boundary rule.
      if (!(lng >= minX && lng < maxX && lat >= minY && lat < maxY)) return -1;
      const cell = row(lat) * nx + col(lng);
      const best = full[cell]!;
      const end = counts[cell + 1]!;
      for (let k = counts[cell]!; k < end; k++) {
        const p = edgeList[k]!;
        if (best >= 0 && p > best) break;
        if (pointInFlatPolygon(polys[p]!, lng, lat)) return p;
      }
      return best;
    },
  };
}

function onEdgeList(list: Uint32Array, offsets: Uint32Array, cell: number, p: number): boolean {
  for (let k = offsets[cell]!; k < offsets[cell + 1]!; k++) if (list[k] === p) return true;
  return false;
}

function flattenFeature(feature: Feature<Polygon | MultiPolygon | null>, i: number): FlatPolygon {
  const geometry = feature?.geometry;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    throw new Error(`buildGridIndex: feature ${i} is not a Polygon or MultiPolygon`);
  }
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  if (rings.length === 0 || rings.some((r) => r.length < 4)) {
    throw new Error(`buildGridIndex: feature ${i} has an empty or degenerate ring`);
  }
  for (const ring of rings) {
    for (const pt of ring) {
      if (!Number.isFinite(pt[0]) || !Number.isFinite(pt[1])) {
        throw new Error(`buildGridIndex: feature ${i} has a non-finite coordinate`);
      }
    }
  }
  return flattenPolygon(rings);
}

function bboxOfFlat(poly: FlatPolygon): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const c = poly.coords;
  for (let k = 0; k < c.length; k += 2) {
    minX = Math.min(minX, c[k]!); maxX = Math.max(maxX, c[k]!);
    minY = Math.min(minY, c[k + 1]!); maxY = Math.max(maxY, c[k + 1]!);
  }
  return [minX, minY, maxX, maxY];
}
