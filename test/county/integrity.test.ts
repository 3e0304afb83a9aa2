// The committed sample county: 689 grids tiling the real outline, named after
// the real villages, every site inside the county and stamped with its grid,
// one connected road network reaching every town.
import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon, length, pointToLineDistance } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCounty, type County } from '../../server/county/county.ts';
import { gridPoints } from '../../server/county/grid-points.ts';
import { distanceMeters } from '../../server/geo/distance.ts';
import { roadComponents } from '../../server/routing/road-components.ts';
import { buildRoadNetwork, nearestVertex } from '../../server/routing/road-network.ts';
import { Ambulance, DecontaminationPoint, GridProps, GridStatus, Hospital, IsolationHotel, SamplingPoint, Town } from '../../server/schema/index.ts';
import { buildRoadGraph } from '../../server/simulator/road-graph.ts';
import { mulberry32 } from '../../scripts/county/prng.ts';

type Grid = Feature<Polygon | MultiPolygon, GridProps>;
const read = (f: string): unknown => JSON.parse(readFileSync(`data/guazhou/${f}`, 'utf8'));
const outline = (read('county.geojson') as FeatureCollection<Polygon>).features[0]!;
const grids = (read('grids.geojson') as FeatureCollection<Polygon | MultiPolygon, GridProps>).features as Grid[];
const roads = read('roads.geojson') as FeatureCollection<LineString>;
const towns = z.array(Town).parse(read('towns.json'));
const seed = read('live-seed.json') as Record<string, unknown[]>;
const decon = read('decontamination-points.json') as unknown[];

const polys = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const bbox = (g: Polygon | MultiPolygon) => {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const p of polys(g).flat(2)) {
    x0 = Math.min(x0, p[0]!);
    y0 = Math.min(y0, p[1]!);
    x1 = Math.max(x1, p[0]!);
    y1 = Math.max(y1, p[1]!);
  }
  return [x0, y0, x1, y1] as const;
};
/** The grid holding a point, by turf alone (first match; a site never sits on an edge). */
const holderOf = (p: [number, number]) => grids.filter((g) => booleanPointInPolygon(p, g)).map((g) => g.properties.id);

let county: County;
beforeAll(async () => {
  county = await loadCounty('data/guazhou');
});

describe('the sample county grids', () => {
  it('has exactly 689 grids with valid, unique properties', () => {
    expect(grids).toHaveLength(689);
    for (const g of grids) {
      expect(Object.keys(g.properties).sort()).toEqual(['id', 'lead', 'name', 'population', 'townCode', 'townName', 'villageCode', 'villageName']);
      expect(GridProps.safeParse(g.properties).success, g.properties.id).toBe(true);
      expect(g.properties.id).toMatch(new RegExp(`^G${g.properties.villageCode}-\\d{2}$`));
      expect(g.properties.name).toMatch(/第\d+网格$/);
      expect(g.properties.lead).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect('id' in g).toBe(false); // ids live in properties only: the map uses promoteId
    }
    expect(new Set(grids.map((g) => g.properties.id)).size).toBe(689);
  });

  it('assigns every grid to one of the 90 real villages and its real town, and uses them all', () => {
    const csv = readFileSync('data/sources/guazhou/admin-divisions.csv', 'utf8').trim().split(/\r?\n/).slice(1);
    const villages = new Map(
      csv.map((l) => {
        const [townCode, townName, code, name] = l.split(',');
        return [code!, { townCode, townName, name }];
      }),
    );
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
    const ratio = sum / area(outline);
    console.log(`grid area sum / outline area - 1 = ${(ratio - 1).toExponential(2)}`);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.001);
  });

  it('has no overlaps between grids whose boxes meet', () => {
    const boxes = grids.map((g) => bbox(g.geometry));
    let pairs = 0;
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = boxes[i]!,
          b = boxes[j]!;
        if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) continue;
        pairs++;
        const inter = polygonClipping.intersection(polys(grids[i]!.geometry) as never, polys(grids[j]!.geometry) as never);
        const overlap = inter.length ? area({ type: 'MultiPolygon', coordinates: inter }) : 0;
        expect(overlap, `${grids[i]!.properties.id} × ${grids[j]!.properties.id}`).toBeLessThan(1); // m²
      }
    }
    expect(pairs).toBeGreaterThan(689);
  }, 30_000);

  it('is a conforming tiling: every inner edge is shared, reversed, by exactly one other grid; the rest lie on the outline', () => {
    const edges = new Map<string, number>();
    const key = (a: number[], b: number[]) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
    const all: [number[], number[]][] = [];
    for (const g of grids)
      for (const ring of polys(g.geometry).flat())
        for (let i = 1; i < ring.length; i++) {
          all.push([ring[i - 1]!, ring[i]!]);
          edges.set(key(ring[i - 1]!, ring[i]!), (edges.get(key(ring[i - 1]!, ring[i]!)) ?? 0) + 1);
        }
    const o = outline.geometry.coordinates[0]!;
    const onOutline = (p: number[]) => {
      for (let i = 1; i < o.length; i++) {
        const [ax, ay] = o[i - 1] as [number, number],
          [bx, by] = o[i] as [number, number];
        const dx = bx - ax,
          dy = by - ay;
        const t = Math.max(0, Math.min(1, ((p[0]! - ax) * dx + (p[1]! - ay) * dy) / (dx * dx + dy * dy || 1)));
        if (Math.hypot(p[0]! - ax - t * dx, p[1]! - ay - t * dy) < 2e-6) return true;
      }
      return false;
    };
    const length = (a: number[], b: number[]) => Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
    let boundary = 0;
    for (const [a, b] of all) {
      expect(edges.get(key(a, b)), key(a, b)).toBe(1);
      if (edges.get(key(b, a)) === 1) continue;
      boundary += length(a, b);
      expect(onOutline([(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2]), key(a, b)).toBe(true);
    }
    // The outer edges run the whole outline. Compare lengths with the outline as clipping cleans it: collinear
    // vertices merged and the source's 53 zero-width spikes dropped (they carry no area).
    const cleaned = polygonClipping.union(outline.geometry.coordinates as never);
    expect(cleaned).toHaveLength(1);
    const ring = cleaned[0]![0]!;
    let perimeter = 0;
    for (let i = 1; i < ring.length; i++) perimeter += length(ring[i - 1]!, ring[i]!);
    expect(Math.abs(boundary / perimeter - 1)).toBeLessThan(1e-6);
  });

  it('leaves no gap: random points in the outline fall in exactly one grid', () => {
    const random = mulberry32(1);
    const [x0, y0, x1, y1] = bbox(outline.geometry);
    for (let tested = 0; tested < 1000;) {
      const p: [number, number] = [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)];
      if (!booleanPointInPolygon(p, outline)) continue;
      tested++;
      const holders = holderOf(p);
      expect(holders, `${p}`).toHaveLength(1);
      expect(county.locator.locate(...p)?.id).toBe(holders[0]);
    }
  }, 30_000);

  it('has populations summing to 120,000: hundreds to thousands where people live, at most 50 in the desert', () => {
    const pops = grids.map((g) => g.properties.population);
    expect(pops.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(Math.max(...pops)).toBeGreaterThan(1000);
    const seat = grids.filter((g) => g.properties.townName === '渊泉镇' && g.properties.population > 50);
    expect(seat.every((g) => g.properties.population >= 300)).toBe(true);
    // The biggest cells are the empty ones: the 50 largest grids hold 50 people at most each.
    const byArea = [...grids].sort((a, b) => area(b) - area(a)).slice(0, 50);
    expect(byArea.every((g) => g.properties.population <= 50)).toBe(true);
    const median = (gs: Grid[]) => gs.map((g) => area(g)).sort((a, b) => a - b)[Math.floor(gs.length / 2)]!;
    expect(median(seat) * 20).toBeLessThan(median(grids));
  });
});

describe('the sample county live seed', () => {
  it('passes the schemas, with a status for every grid and one high-risk cluster in the seat', () => {
    const status = z.array(GridStatus).parse(seed.gridStatus);
    expect(status.map((s) => s.id).sort()).toEqual(grids.map((g) => g.properties.id).sort());
    z.array(SamplingPoint).parse(seed.samplingPoints);
    z.array(IsolationHotel).parse(seed.hotels);
    z.array(Hospital).parse(seed.hospitals);
    z.array(Ambulance).parse(seed.ambulances);
    z.array(DecontaminationPoint).parse(decon);
    const high = status.filter((s) => s.risk === 'high').map((s) => s.id);
    expect(high.length).toBeGreaterThanOrEqual(2);
    expect(status.filter((s) => s.risk === 'low').length).toBeGreaterThan(600);
    for (const id of high) {
      expect(county.locator.byId(id)?.townName).toBe('渊泉镇');
      expect(
        high.some((other) => county.locator.neighbours(id).includes(other)),
        id,
      ).toBe(true);
    }
  });

  it('has the sites and vehicles the brief asks for', () => {
    const { samplingPoints, hotels, hospitals, ambulances } = county.seed;
    expect(samplingPoints.length).toBeGreaterThanOrEqual(90);
    expect(samplingPoints.filter((s) => s.status === 'open').length).toBeGreaterThan(80);
    expect(samplingPoints.some((s) => s.hours === null)).toBe(true);
    expect(hotels).toHaveLength(8);
    expect(hotels.some((h) => h.staff.doctors < Math.ceil(h.people / 20) || h.staff.nurses < Math.ceil(h.people / 20))).toBe(true);
    expect(hospitals.map((h) => h.role).sort()).toEqual(['designated', 'fever-clinic', 'fever-clinic', 'fever-clinic', 'fever-clinic', 'makeshift', 'reserve']);
    expect(hospitals.find((h) => h.role === 'makeshift')).toMatchObject({ open: false });
    expect(ambulances.filter((a) => a.kind === 'negative-pressure')).toHaveLength(5);
    expect(ambulances.filter((a) => a.kind === 'ordinary')).toHaveLength(12);
    expect(new Set(ambulances.map((a) => a.callSign)).size).toBe(17);
    expect(county.decontaminationPoints).toHaveLength(2);
  });

  it('places every site and vehicle inside the county and stamps it with the grid that holds it', () => {
    const { samplingPoints, hotels, hospitals, ambulances } = county.seed;
    const located = [...samplingPoints, ...hotels, ...hospitals, ...county.decontaminationPoints].map((s) => ({ id: s.id, p: s.location, gridId: s.gridId }));
    for (const a of ambulances) located.push({ id: a.id, p: [a.fix!.lng, a.fix!.lat], gridId: a.gridId });
    for (const s of located) {
      expect(booleanPointInPolygon(s.p, outline), s.id).toBe(true);
      expect(holderOf(s.p), s.id).toEqual([s.gridId]);
      expect(county.locator.locate(...s.p)?.id, s.id).toBe(s.gridId);
    }
  });

  it('puts every ambulance on the road network', () => {
    for (const a of county.seed.ambulances) {
      const d = Math.min(...roads.features.map((r) => pointToLineDistance([a.fix!.lng, a.fix!.lat], r, { units: 'meters' })));
      expect(d, a.id).toBeLessThan(1);
    }
  });
});

describe('the sample county roads and towns', () => {
  it('places the 15 towns inside the county, one of them the seat', () => {
    expect(towns).toHaveLength(15);
    expect(towns.filter((t) => t.seat).map((t) => t.name)).toEqual(['渊泉镇']);
    for (const t of towns) expect(booleanPointInPolygon(t.center, outline), t.name).toBe(true);
  });

  it('has one connected road network inside the county that passes within 1 km of every town', () => {
    const classes = new Set(['expressway', 'national', 'provincial', 'county', 'township', 'village']);
    for (const r of roads.features) {
      expect(classes.has(r.properties?.class), r.properties?.id).toBe(true);
      expect(r.geometry.coordinates.length, r.properties?.id).toBeGreaterThan(2);
    }
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
    for (const t of towns) {
      const nearest = Math.min(...graph.vertices.map(([x, y]) => distanceMeters(x, y, ...t.center)));
      expect(nearest, t.name).toBeLessThan(1000);
    }
    for (const [x, y] of graph.vertices) expect(booleanPointInPolygon([x, y], outline)).toBe(true);
  });

  it('reaches every populated grid within 1.5 km by road, with local roads between the trunk lines', () => {
    const network = buildRoadNetwork(roads);
    const pointOf = gridPoints({ type: 'FeatureCollection', features: grids });
    const far = grids.filter((g) => g.properties.population > 50).filter((g) => nearestVertex(network, ...pointOf(g.properties.id)!).meters > 1500);
    expect(far.map((g) => g.properties.id)).toEqual([]);
    const meters = (cls: string) => roads.features.filter((r) => r.properties?.class === cls).reduce((s, r) => s + length(r, { units: 'meters' }), 0);
    // Local roads outweigh the trunk lines, as on the ground (the real county has about 2,700 km of roads).
    expect(meters('township') + meters('village')).toBeGreaterThan(meters('expressway') + meters('national') + meters('provincial'));
    expect(roadComponents(network).components).toHaveLength(1);
  });
});
