// Containment edge cases on hand-made fixtures, and a property test on a jittered tiling.
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { gridNeighbours } from '../../server/geo/adjacency.ts';
import { buildGridIndex } from '../../server/geo/grid-index.ts';
import { createLocator } from '../../server/geo/locator.ts';
import { flattenPolygon, pointInFlatPolygon } from '../../server/geo/point-in-polygon.ts';
import { mulberry32 } from '../../server/simulator/random.ts';

type Geo = Polygon | MultiPolygon;
const square = (x: number, y: number, s = 1): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const poly = (id: string, ...rings: number[][][]): Feature<Geo, { id: string }> => ({
  type: 'Feature',
  properties: { id },
  geometry: { type: 'Polygon', coordinates: rings },
});
const multi = (id: string, ...parts: number[][][][]): Feature<Geo, { id: string }> => ({
  type: 'Feature',
  properties: { id },
  geometry: { type: 'MultiPolygon', coordinates: parts },
});
const fc = (...features: Feature<Geo, { id: string }>[]): FeatureCollection<Geo, { id: string }> => ({
  type: 'FeatureCollection',
  features,
});

describe('point in polygon', () => {
  it('a hole is outside, the ring around it inside', () => {
    const loc = createLocator(fc(poly('donut', square(0, 0, 10), square(4, 4, 2))));
    expect(loc.locate(5, 5)).toBeNull();
    expect(loc.locate(1, 1)?.id).toBe('donut');
    expect(loc.locate(8, 5)?.id).toBe('donut');
  });

  it('each part of a multipolygon counts, the gap between them does not', () => {
    const loc = createLocator(fc(multi('islands', [square(0, 0)], [square(5, 0)])));
    expect(loc.locate(0.5, 0.5)?.id).toBe('islands');
    expect(loc.locate(5.5, 0.5)?.id).toBe('islands');
    expect(loc.locate(3, 0.5)).toBeNull();
  });

  it('outside everything is null', () => {
    const loc = createLocator(fc(poly('a', square(0, 0))));
    expect(loc.locate(-0.5, 0.5)).toBeNull();
    expect(loc.locate(0.5, 7)).toBeNull();
    expect(loc.locate(1000, 1000)).toBeNull();
  });

  it('a point on a shared edge belongs to exactly one grid: the one east (then north) of it', () => {
    // a | b side by side: the shared edge x = 1 belongs to b (east).
    const loc = createLocator(fc(poly('a', square(0, 0)), poly('b', square(1, 0))));
    expect(loc.locate(1, 0.5)?.id).toBe('b');
    // c over d: the shared edge y = 1 belongs to c (north).
    const loc2 = createLocator(fc(poly('d', square(0, 0)), poly('c', square(0, 1))));
    expect(loc2.locate(0.5, 1)?.id).toBe('c');
  });

  it('an exact vertex shared by four grids belongs to exactly one (the north-east one)', () => {
    const four = fc(poly('sw', square(0, 0)), poly('se', square(1, 0)), poly('nw', square(0, 1)), poly('ne', square(1, 1)));
    const loc = createLocator(four);
    expect(loc.locate(1, 1)?.id).toBe('ne');
    const holders = four.features.filter((f) =>
      pointInFlatPolygon(flattenPolygon((f.geometry as Polygon).coordinates), 1, 1),
    );
    expect(holders.map((f) => f.properties.id)).toEqual(['ne']);
  });

  it('an outer ring vertex follows the same rule (the east/north corners fall outside)', () => {
    const loc = createLocator(fc(poly('a', square(0, 0))));
    expect(loc.locate(0, 0)?.id).toBe('a');
    expect(loc.locate(1, 1)).toBeNull();
  });
});

describe('adjacency', () => {
  it('on a 3×3 tiling: corner 2 neighbours, edge 3, centre 4, diagonals never', () => {
    const cells: Feature<Geo, { id: string }>[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) cells.push(poly(`${x}${y}`, square(x, y)));
    const loc = createLocator(fc(...cells));
    expect(loc.neighbours('00').sort()).toEqual(['01', '10']);
    expect(loc.neighbours('10').sort()).toEqual(['00', '11', '20']);
    expect(loc.neighbours('11').sort()).toEqual(['01', '10', '12', '21']);
    expect(loc.neighbours('11')).not.toContain('00');
    expect(loc.neighbours('unknown')).toEqual([]);
    expect(gridNeighbours(cells)[4]).toEqual([1, 3, 5, 7]);
  });
});

describe('errors', () => {
  it('refuses empty input, non-polygons, degenerate rings and duplicate ids', () => {
    expect(() => buildGridIndex([])).toThrow(/no features/);
    const line = { type: 'Feature', properties: { id: 'l' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } };
    expect(() => buildGridIndex([line as never])).toThrow(/feature 0 is not a Polygon/);
    expect(() => buildGridIndex([poly('x', [[0, 0], [1, 0], [0, 0]])])).toThrow(/feature 0 has an empty or degenerate ring/);
    expect(() => createLocator(fc(poly('a', square(0, 0)), poly('a', square(1, 0))))).toThrow(/duplicate id a/);
  });
});

describe('property: a jittered quad mesh is tiled exactly', () => {
  // An N×N mesh whose interior vertices are moved at random: neighbours share vertices exactly.
  const N = 12;
  const random = mulberry32(42);
  const vx: number[][] = [];
  const vy: number[][] = [];
  for (let j = 0; j <= N; j++) {
    vx.push([]);
    vy.push([]);
    for (let i = 0; i <= N; i++) {
      const interior = i > 0 && i < N && j > 0 && j < N;
      vx[j]!.push(95 + (i + (interior ? (random() - 0.5) * 0.6 : 0)) * 0.01);
      vy[j]!.push(40 + (j + (interior ? (random() - 0.5) * 0.6 : 0)) * 0.01);
    }
  }
  const v = (i: number, j: number) => [vx[j]![i]!, vy[j]![i]!];
  const cells: Feature<Geo, { id: string }>[] = [];
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) cells.push(poly(`c${i}_${j}`, [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]));
  }
  const flats = cells.map((c) => flattenPolygon((c.geometry as Polygon).coordinates));
  const index = buildGridIndex(cells);
  const holders = (x: number, y: number) => flats.flatMap((f, k) => (pointInFlatPolygon(f, x, y) ? [k] : []));

  it('random interior points, shared vertices and edge midpoints: exactly one holder, and locate() agrees', () => {
    const points: [number, number][] = [];
    for (let k = 0; k < 3000; k++) points.push([95 + random() * N * 0.01, 40 + random() * N * 0.01]);
    for (let j = 1; j < N; j++) {
      for (let i = 1; i < N; i++) {
        points.push(v(i, j) as [number, number]);
        const [ax, ay] = v(i, j) as [number, number];
        const [bx, by] = v(i + 1, j) as [number, number];
        const [cx, cy] = v(i, j + 1) as [number, number];
        points.push([(ax + bx) / 2, (ay + by) / 2], [(ax + cx) / 2, (ay + cy) / 2]);
      }
    }
    for (const [x, y] of points) {
      const h = holders(x, y);
      expect(h, `${x},${y}`).toHaveLength(1);
      expect(index.locate(x, y)).toBe(h[0]);
    }
    const adjacency = gridNeighbours(cells);
    expect(adjacency[N + 1]).toEqual([1, N, N + 2, 2 * N + 1]);
  });
});
