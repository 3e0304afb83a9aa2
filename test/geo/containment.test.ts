// Containment, adjacency and errors on hand-made fixtures (random tilings: tiling.property.test.ts).
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { gridNeighbours } from '../../server/geo/adjacency.ts';
import { buildGridIndex } from '../../server/geo/grid-index.ts';
import { createLocator } from '../../server/geo/locator.ts';
import { flattenPolygon, pointInFlatPolygon } from '../../server/geo/point-in-polygon.ts';

type Geo = Polygon | MultiPolygon;
const square = (x: number, y: number, s = 1): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
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

  const holdersOf = (features: Feature<Geo, { id: string }>[], x: number, y: number) =>
    features.filter((f) => pointInFlatPolygon(flattenPolygon((f.geometry as Polygon).coordinates), x, y)).map((f) => f.properties.id);

  it('a point on a shared edge belongs to exactly one grid: the one east (then north) of it', () => {
    // a | b side by side: the shared edge x = 1 belongs to b (east), whichever order the grids come in.
    const ab = [poly('a', square(0, 0)), poly('b', square(1, 0))];
    for (const features of [ab, [...ab].reverse()]) {
      expect(createLocator(fc(...features)).locate(1, 0.5)?.id).toBe('b');
      expect(holdersOf(features, 1, 0.5)).toEqual(['b']);
    }
    // c over d: the shared edge y = 1 belongs to c (north).
    const dc = [poly('d', square(0, 0)), poly('c', square(0, 1))];
    for (const features of [dc, [...dc].reverse()]) {
      expect(createLocator(fc(...features)).locate(0.5, 1)?.id).toBe('c');
      expect(holdersOf(features, 0.5, 1)).toEqual(['c']);
    }
    // A slanted shared edge, one ring running each way along it: still exactly one (the east one).
    const slant = [
      poly('w', [
        [0, 0],
        [2, 0],
        [3, 3],
        [0, 3],
        [0, 0],
      ]),
      poly('e', [
        [2, 0],
        [5, 0],
        [5, 3],
        [3, 3],
        [2, 0],
      ]),
    ];
    for (const t of [0.1, 1 / 3, 0.5, 0.7]) {
      expect(holdersOf(slant, 2 + t, 3 * t), `t=${t}`).toHaveLength(1);
    }
    expect(holdersOf(slant, 2.5, 1.5)).toEqual(['e']);
    expect(createLocator(fc(...slant)).locate(2.5, 1.5)?.id).toBe('e');
  });

  it('an exact vertex shared by four grids belongs to exactly one (the north-east one)', () => {
    const four = fc(poly('sw', square(0, 0)), poly('se', square(1, 0)), poly('nw', square(0, 1)), poly('ne', square(1, 1)));
    const loc = createLocator(four);
    expect(loc.locate(1, 1)?.id).toBe('ne');
    expect(holdersOf(four.features, 1, 1)).toEqual(['ne']);
    expect(createLocator(fc(...[...four.features].reverse())).locate(1, 1)?.id).toBe('ne');
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
  const line = {
    type: 'Feature',
    properties: { id: 'l' },
    geometry: {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    },
  };

  it('refuses empty input, naming the function', () => {
    expect(() => buildGridIndex([])).toThrow('buildGridIndex: no features');
    expect(() => gridNeighbours([])).toThrow('gridNeighbours: no features');
    expect(() => createLocator(fc())).toThrow(/no features/);
    expect(() => createLocator({} as never)).toThrow('createLocator: expected a FeatureCollection');
  });

  it('refuses non-polygon geometry, naming the feature index', () => {
    expect(() => buildGridIndex([poly('a', square(0, 0)), line as never])).toThrow('buildGridIndex: feature 1 is not a Polygon or MultiPolygon (a LineString)');
    expect(() => gridNeighbours([line as never])).toThrow('gridNeighbours: feature 0 is not a Polygon or MultiPolygon');
    expect(() => buildGridIndex([{ type: 'Feature', properties: {}, geometry: null }])).toThrow('feature 0 is not a Polygon or MultiPolygon (no geometry)');
  });

  it('refuses degenerate rings and non-finite coordinates', () => {
    expect(() =>
      buildGridIndex([
        poly('x', [
          [0, 0],
          [1, 0],
          [0, 0],
        ]),
      ]),
    ).toThrow(/feature 0 has an empty or degenerate ring \(ring 0/);
    expect(() => buildGridIndex([poly('a', square(0, 0)), poly('x')])).toThrow(/feature 1 has an empty or degenerate ring/);
    expect(() => buildGridIndex([multi('m', [square(0, 0)], [])])).toThrow(/feature 0 has an empty or degenerate ring \(an empty part\)/);
    expect(() =>
      buildGridIndex([
        poly('n', [
          [0, 0],
          [1, 0],
          [1, NaN],
          [0, 0],
        ]),
      ]),
    ).toThrow(/feature 0 has a non-finite coordinate/);
  });

  it('refuses duplicate and missing ids', () => {
    expect(() => createLocator(fc(poly('a', square(0, 0)), poly('a', square(1, 0))))).toThrow('createLocator: duplicate id a (features 0 and 1)');
    const noId = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0)] } };
    expect(() => createLocator(fc(poly('a', square(1, 0)), noId as never))).toThrow('createLocator: feature 1 has no string properties.id');
  });
});

describe('locator', () => {
  it("byId, ids and locate return the feature's own properties object", () => {
    const a = poly('a', square(0, 0));
    const loc = createLocator(fc(a, poly('b', square(1, 0))));
    expect(loc.ids).toEqual(['a', 'b']);
    expect(loc.byId('a')).toBe(a.properties);
    expect(loc.locate(0.5, 0.5)).toBe(a.properties);
    expect(loc.byId('zz')).toBeUndefined();
    expect(loc.neighbours('a')).toEqual(['b']);
    expect(loc.locate(NaN, 0.5)).toBeNull();
  });
});
