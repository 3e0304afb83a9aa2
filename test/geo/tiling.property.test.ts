// Property tests on random tilings whose neighbours share bit-identical vertices
// (a jittered quad mesh and a clipped Voronoi diagram, as the county's grids are):
// every interior point, including points exactly on shared vertices and edges,
// is in exactly one tile, and locate() agrees with a brute-force loop.
import { Delaunay } from 'd3-delaunay';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { gridNeighbours } from '../../server/geo/adjacency.ts';
import { buildGridIndex } from '../../server/geo/grid-index.ts';
import { flattenPolygon, pointInFlatPolygon } from '../../server/geo/point-in-polygon.ts';
import { mulberry32 } from '../../server/simulator/random.ts';

type Tile = Feature<Polygon, { id: string }>;
type Pt = [number, number];

const tile = (id: string, ring: number[][]): Tile => ({
  type: 'Feature',
  properties: { id },
  geometry: { type: 'Polygon', coordinates: [ring] },
});

/** An n×n mesh over [x0, x0 + n·s]² whose interior vertices are moved at random. */
function jitteredMesh(n: number, x0: number, y0: number, s: number, random: () => number) {
  const vx: number[][] = [];
  const vy: number[][] = [];
  for (let j = 0; j <= n; j++) {
    vx.push([]);
    vy.push([]);
    for (let i = 0; i <= n; i++) {
      const interior = i > 0 && i < n && j > 0 && j < n;
      vx[j]!.push(x0 + (i + (interior ? (random() - 0.5) * 0.6 : 0)) * s);
      vy[j]!.push(y0 + (j + (interior ? (random() - 0.5) * 0.6 : 0)) * s);
    }
  }
  const v = (i: number, j: number) => [vx[j]![i]!, vy[j]![i]!];
  const tiles: Tile[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) tiles.push(tile(`q${i}_${j}`, [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]));
  }
  return tiles;
}

/** A Voronoi diagram of random sites clipped to a box (d3-delaunay shares each circumcentre between cells). */
function voronoi(sites: number, box: [number, number, number, number], random: () => number): Tile[] {
  const pts: number[] = [];
  for (let k = 0; k < sites; k++) pts.push(box[0] + random() * (box[2] - box[0]), box[1] + random() * (box[3] - box[1]));
  const diagram = new Delaunay(Float64Array.from(pts)).voronoi(box);
  const tiles: Tile[] = [];
  for (let k = 0; k < sites; k++) {
    const ring = diagram.cellPolygon(k);
    if (ring)
      tiles.push(
        tile(
          `v${k}`,
          ring.map(([x, y]) => [x!, y!]),
        ),
      );
  }
  return tiles;
}

/** Segments that two tiles share exactly (same endpoints, either direction). */
function sharedSegments(tiles: Tile[]): [Pt, Pt][] {
  const seen = new Map<string, [Pt, Pt]>();
  const shared: [Pt, Pt][] = [];
  for (const t of tiles) {
    const ring = t.geometry.coordinates[0]!;
    for (let k = 1; k < ring.length; k++) {
      const a = ring[k - 1] as Pt;
      const b = ring[k] as Pt;
      const key = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? `${a}|${b}` : `${b}|${a}`;
      if (seen.has(key)) shared.push([a, b]);
      else seen.set(key, [a, b]);
    }
  }
  return shared;
}

/**
 * Points exactly on or within an ulp of each shared edge: its endpoints, and at several
 * heights the crossing x computed from either endpoint (the two can differ in the last
 * bit, which is what a non-canonical crossing would get wrong) and the interpolated midpoint.
 */
function pointsOnEdges(segments: [Pt, Pt][]): Pt[] {
  const out: Pt[] = [];
  for (const [[ax, ay], [bx, by]] of segments) {
    out.push([ax, ay], [bx, by], [(ax + bx) / 2, (ay + by) / 2]);
    if (ay === by) continue;
    for (const t of [0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9]) {
      const y = ay + t * (by - ay);
      out.push([ax + ((y - ay) * (bx - ax)) / (by - ay), y], [bx + ((y - by) * (ax - bx)) / (ay - by), y]);
    }
  }
  return out;
}

function check(tiles: Tile[], points: Pt[], inside: (p: Pt) => boolean) {
  const flats = tiles.map((t) => flattenPolygon(t.geometry.coordinates));
  const indexes = [buildGridIndex(tiles), buildGridIndex(tiles, { cells: 1 }), buildGridIndex(tiles, { cells: 37 }), buildGridIndex(tiles, { cells: 5000 })];
  let interior = 0;
  for (const p of points) {
    const holders: number[] = [];
    flats.forEach((f, k) => {
      if (pointInFlatPolygon(f, p[0], p[1])) holders.push(k);
    });
    if (inside(p)) {
      interior++;
      expect(holders, `holders of ${p}`).toHaveLength(1);
    }
    for (const index of indexes) expect(index.locate(p[0], p[1]), `locate ${p}`).toBe(holders[0] ?? -1);
  }
  return interior;
}

describe('property: a jittered quad mesh', () => {
  const N = 12;
  const random = mulberry32(42);
  const tiles = jitteredMesh(N, 95, 40, 0.01, random);
  const x1 = 95 + N * 0.01;
  const y1 = 40 + N * 0.01;

  it('random points, shared vertices and points on shared edges: exactly one holder, locate() agrees', () => {
    const points: Pt[] = [];
    for (let k = 0; k < 3000; k++) points.push([95 + random() * N * 0.01, 40 + random() * N * 0.01]);
    for (let k = 0; k < 200; k++) points.push([94.9 + random() * 0.4, 39.9 + random() * 0.4]);
    points.push(...pointsOnEdges(sharedSegments(tiles)));
    const interior = check(tiles, points, ([x, y]) => x > 95 && x < x1 && y > 40 && y < y1);
    expect(interior).toBeGreaterThan(5000);
  });

  it('neighbours are the four sides, never the diagonals', () => {
    const adjacency = gridNeighbours(tiles);
    expect(adjacency[N + 1]).toEqual([1, N, N + 2, 2 * N + 1]);
    expect(adjacency[0]).toEqual([1, N]);
  });
});

describe('property: a clipped Voronoi tiling', () => {
  const box: [number, number, number, number] = [95.3, 40.1, 95.9, 40.6];
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every interior point in exactly one cell, locate() agrees, neighbours symmetric`, () => {
      const random = mulberry32(seed);
      const tiles = voronoi(150, box, random);
      expect(tiles).toHaveLength(150);
      const segments = sharedSegments(tiles);
      expect(segments.length).toBeGreaterThan(300);
      const points: Pt[] = [];
      for (let k = 0; k < 3000; k++) points.push([box[0] + random() * (box[2] - box[0]), box[1] + random() * (box[3] - box[1])]);
      const onEdges = pointsOnEdges(segments);
      points.push(...onEdges);
      // Interior: off the clipping box, where a tile's east/north side legitimately has no tile beyond it.
      const interior = check(tiles, points, ([x, y]) => x > box[0] && x < box[2] && y > box[1] && y < box[3]);
      expect(interior).toBeGreaterThan(3000 + onEdges.length / 2);

      const adjacency = gridNeighbours(tiles);
      let links = 0;
      adjacency.forEach((list, i) => {
        for (const j of list) expect(adjacency[j]).toContain(i);
        links += list.length;
      });
      expect(links / 2).toBe(segments.length);
    });
  }
});

describe('property: overlapping concave polygons with holes, multipolygons and gaps', () => {
  /** A random star-shaped ring (concave), counter-clockwise, closed. */
  const star = (cx: number, cy: number, r: number, random: () => number): number[][] => {
    const n = 5 + Math.floor(random() * 12);
    const ring: number[][] = [];
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n;
      const rr = r * (0.3 + 0.7 * random());
      ring.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
    }
    ring.push([...ring[0]!]);
    return ring;
  };
  for (const seed of [7, 8]) {
    it(`seed ${seed}: locate() returns the lowest-index brute-force holder, or -1, at every raster size`, () => {
      const random = mulberry32(seed);
      const features: Feature<Polygon | import('geojson').MultiPolygon, { id: string }>[] = [];
      const flats = [];
      for (let k = 0; k < 60; k++) {
        const cx = random() * 10;
        const cy = random() * 6;
        const r = 0.2 + random() * 1.5;
        const outer = star(cx, cy, r, random);
        const rings = random() < 0.4 ? [outer, star(cx, cy, r * 0.25, random).reverse()] : [outer];
        const geometry: Polygon | import('geojson').MultiPolygon =
          random() < 0.25 ? { type: 'MultiPolygon', coordinates: [rings, [star(cx + 2 * r, cy, r * 0.5, random)]] } : { type: 'Polygon', coordinates: rings };
        features.push({ type: 'Feature', properties: { id: `s${k}` }, geometry });
        flats.push(flattenPolygon(geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()));
      }
      const points: Pt[] = [];
      for (let k = 0; k < 6000; k++) points.push([-2 + random() * 16, -2 + random() * 10]);
      for (const f of flats) for (let k = 0; k < f.coords.length; k += 2) points.push([f.coords[k]!, f.coords[k + 1]!]);
      let inside = 0;
      let outside = 0;
      for (const cells of [undefined, 1, 64, 4096]) {
        const index = buildGridIndex(features, cells === undefined ? {} : { cells });
        for (const [x, y] of points) {
          const expected = flats.findIndex((f) => pointInFlatPolygon(f, x, y));
          expect(index.locate(x, y), `locate ${x},${y} with ${cells ?? 'default'} cells`).toBe(expected);
          if (expected >= 0) inside++;
          else outside++;
        }
      }
      // Both branches exercised: points in polygons and in the gaps/holes between them.
      expect(inside).toBeGreaterThan(4000);
      expect(outside).toBeGreaterThan(4000);
    });
  }
});
