// The GeoJSON exports on a real Redis: each layer is a valid FeatureCollection in WGS-84
// inside the county, one feature per entity (per ambulance with a fix), properties as the
// store has them, grids with their risk, and no crew names; a file name for each.
import type { FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_LAYERS } from '../../server/exports/geojson-layers.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

describe('GeoJSON exports', () => {
  let redis: TestRedis;
  let srv: TestServer;
  let token: string;
  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redis: { url: redis.url, prefix: redis.prefix } });
    token = await login(srv.url, 'commander');
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.stop();
  });
  const get = (path: string, t = token) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${t}` } });
  const inCounty = ([lng, lat]: number[]) => lng! > 92 && lng! < 98 && lat! > 39 && lat! < 42.5;

  it('exports every layer as a FeatureCollection matching the store', async () => {
    const { collections } = await srv.store.snapshot();
    for (const layer of EXPORT_LAYERS) {
      const res = await get(`/api/export/${layer}`);
      expect(res.status, layer).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`filename="${layer}-\\d{4}-\\d\\d-\\d\\d\\.geojson"`));
      const fc = (await res.json()) as FeatureCollection;
      expect(fc.type).toBe('FeatureCollection');
      if (layer === 'grids') {
        expect(fc.features).toHaveLength(689);
        const first = fc.features[0]!;
        expect(first.geometry.type).toMatch(/Polygon/);
        expect(first.properties!.risk).toBe(collections.gridStatus[String(first.id)]?.risk ?? null);
        continue;
      }
      const entities = Object.values(collections[layer]).filter((e) => layer !== 'ambulances' || (e as { fix: unknown }).fix);
      expect(fc.features.map((f) => f.id).sort(), layer).toEqual(entities.map((e) => e.id).sort());
      for (const f of fc.features) expect(inCounty((f.geometry as Point).coordinates), `${layer} ${f.id}`).toBe(true);
      const entity = entities[0] as { id: string; name?: string };
      expect(fc.features.find((f) => f.id === entity.id)!.properties).toMatchObject(layer === 'ambulances' ? { crew: [] } : { name: entity.name });
    }
  });

  it('carries no crew names and refuses roles without the right and unknown layers', async () => {
    const text = await (await get('/api/export/ambulances')).text();
    const crews = Object.values((await srv.store.snapshot()).collections.ambulances).flatMap((a) => a.crew);
    expect(crews.length).toBeGreaterThan(0);
    for (const name of crews) expect(text).not.toContain(name);
    expect((await get('/api/export/transfers')).status).toBe(400);
    expect((await get('/api/export/hospitals', await login(srv.url, 'wall'))).status).toBe(403);
  });
});
