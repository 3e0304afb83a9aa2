// The committed sample county: 689 grids tiling the real outline, named after
// the real villages, and every site inside the county, stamped with its grid.
import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { flattenPolygon, pointInFlatPolygon } from '../../server/geo/point-in-polygon.ts';
import { GridProps } from '../../server/schema/index.ts';
import { buildRoadGraph } from '../../server/simulator/road-graph.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { distanceMeters } from '../../server/geo/distance.ts';
import { sampleCounty } from '../helpers/server.ts';
import type { County } from '../../server/county/county.ts';

const read = (f: string) => JSON.parse(readFileSync(`data/guazhou/${f}`, 'utf8'));
type Grid = Feature<Polygon | MultiPolygon, GridProps>;

let county: County;
let grids: Grid[];
let outline: Feature<Polygon>;
beforeAll(async () => {
  county = await sampleCounty();
  grids = county.grids.features;
  outline = (read('county.geojson') as FeatureCollection<Polygon>).features[0]!;
});

const bbox = (g: Polygon | MultiPolygon) => {
  const pts = (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()).flat();
  return [Math.min(...pts.map((p) => p[0]!)), Math.min(...pts.map((p) => p[1]!)), Math.max(...pts.map((p) => p[0]!)), Math.max(...pts.map((p) => p[1]!))];
};

describe('the sample county', () => {
  it('has exactly 689 grids with valid, unique properties', () => {
    expect(grids).toHaveLength(689);
    for (const g of grids) expect(GridProps.safeParse(g.properties).success).toBe(true);
    expect(new Set(grids.map((g) => g.properties.id)).size).toBe(689);
  });

  it('assigns every grid to one of the 90 real villages and its real town, and uses them all', () => {
    const csv = readFileSync('../shared/data/guazhou/admin-divisions.csv', 'utf8').trim().split('\n').slice(1);
    const villages = new Map(csv.map((l) => {
      const [townCode, townName, code, name] = l.split(',');
      return [code!, { townCode, townName, name }];
    }));
    expect(villages.size).toBe(90);
    for (const g of grids) {
      const v = villages.get(g.properties.villageCode);
      expect(v, g.properties.id).toBeDefined();
      expect(g.properties.villageName).toBe(v!.name);
      expect(g.properties.townCode).toBe(v!.townCode);
      expect(g.properties.townName).toBe(v!.townName);
    }
    expect(new Set(grids.map((g) => g.properties.villageCode)).size).toBe(90);
    expect(new Set(grids.map((g) => g.properties.townCode)).size).toBe(15);
  });

  it('tiles the outline: the grids’ areas sum to the county’s within 0.1 %', () => {
    const sum = grids.reduce((a, g) => a + area(g), 0);
    expect(Math.abs(sum / area(outline) - 1)).toBeLessThan(0.001);
  });

  it('has no overlaps between grids whose boxes meet', () => {
    const boxes = grids.map((g) => bbox(g.geometry));
    let pairs = 0;
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = boxes[i]!, b = boxes[j]!;
        if (a[0]! > b[2]! || b[0]! > a[2]! || a[1]! > b[3]! || b[1]! > a[3]!) continue;
        pairs++;
        const geomA = grids[i]!.geometry, geomB = grids[j]!.geometry;
        const inter = polygonClipping.intersection(
          (geomA.type === 'Polygon' ? [geomA.coordinates] : geomA.coordinates) as never,
          (geomB.type === 'Polygon' ? [geomB.coordinates] : geomB.coordinates) as never,
        );
        const overlap = inter.length ? area({ type: 'MultiPolygon', coordinates: inter }) : 0;
        expect(overlap, `${grids[i]!.properties.id} × ${grids[j]!.properties.id}`).toBeLessThan(1); // m²
      }
    }
    expect(pairs).toBeGreaterThan(689);
  }, 60_000);

  it('leaves no gap: random points in the outline fall in exactly one grid', () => {
    const flats = grids.map((g) => flattenPolygon(g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat()));
    const random = mulberry32(1);
    const [x0, y0, x1, y1] = bbox(outline.geometry);
    let tested = 0;
    while (tested < 2000) {
      const x = x0! + random() * (x1! - x0!);
      const y = y0! + random() * (y1! - y0!);
      if (!booleanPointInPolygon([x, y], outline)) continue;
      tested++;
      const holders = flats.flatMap((f, i) => (pointInFlatPolygon(f, x, y) ? [i] : []));
      expect(holders, `${x},${y}`).toHaveLength(1);
      expect(county.locator.locate(x, y)?.id).toBe(grids[holders[0]!]!.properties.id);
    }
  });

  it('has populations summing to 120,000, small grids where people live', () => {
    expect(grids.reduce((a, g) => a + g.properties.population, 0)).toBe(120_000);
    const seat = grids.filter((g) => g.properties.townName === '渊泉镇');
    const medianArea = (gs: Grid[]) => gs.map((g) => area(g)).sort((a, b) => a - b)[Math.floor(gs.length / 2)]!;
    expect(medianArea(seat)).toBeLessThan(medianArea(grids));
  });

  it('places every site and vehicle inside the county and stamps it with the grid that holds it', () => {
    const { seed, locator } = county;
    const sites = [...seed.samplingPoints, ...seed.hotels, ...seed.hospitals, ...county.decontaminationPoints];
    expect(seed.samplingPoints.length).toBeGreaterThanOrEqual(90);
    expect(seed.hotels.length).toBeGreaterThanOrEqual(6);
    expect(seed.hospitals.map((h) => h.role)).toEqual(expect.arrayContaining(['designated', 'reserve', 'makeshift', 'fever-clinic']));
    expect(seed.ambulances.filter((a) => a.kind === 'negative-pressure').length).toBeGreaterThanOrEqual(4);
    expect(seed.ambulances.filter((a) => a.kind === 'ordinary').length).toBeGreaterThanOrEqual(10);
    expect(county.decontaminationPoints).toHaveLength(2);
    for (const s of sites) {
      expect(booleanPointInPolygon(s.location, outline), s.id).toBe(true);
      const holder = grids.find((g) => booleanPointInPolygon(s.location, g));
      expect(s.gridId, s.id).toBe(holder?.properties.id);
      expect(locator.locate(...s.location)?.id).toBe(s.gridId);
    }
    for (const a of seed.ambulances) {
      expect(booleanPointInPolygon([a.fix!.lng, a.fix!.lat], outline), a.id).toBe(true);
      expect(a.gridId).toBe(locator.locate(a.fix!.lng, a.fix!.lat)?.id);
    }
    expect(Object.keys(seed.gridStatus)).toHaveLength(689);
  });

  it('has one connected road network that reaches every town', () => {
    const roads = county.roads as FeatureCollection<LineString>;
    const graph = buildRoadGraph(roads);
    const seen = new Set([0]);
    const stack = [0];
    while (stack.length) {
      for (const n of graph.edges[stack.pop()!]!) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    expect(seen.size).toBe(graph.vertices.length);
    for (const t of county.towns) {
      const nearest = Math.min(...graph.vertices.map(([x, y]) => distanceMeters(x, y, ...t.center)));
      expect(nearest, t.name).toBeLessThan(1000);
    }
    for (const [x, y] of graph.vertices) expect(booleanPointInPolygon([x, y], outline)).toBe(true);
  });
});
