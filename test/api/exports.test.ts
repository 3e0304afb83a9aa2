// The GeoJSON exports on a real Redis: each layer is a valid FeatureCollection in WGS-84
// inside the county, one feature per entity (per ambulance with a fix), properties as the
// store has them, grids with their risk, and no crew names; a file name for each. And the
// hospitals as EDXL-HAVE 1.0 XML, with the beds as they are live after a change.
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { FeatureCollection, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAVE_NS, XPIL_NS } from '../../server/exports/edxl-have.ts';
import { validateHave } from '../../scripts/check-have.ts';
import { EXPORT_LAYERS } from '../../server/exports/geojson-layers.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

describe('GeoJSON exports', () => {
  const env = useServer({ redis: true });
  let token: string;
  beforeAll(async () => {
    token = await login(env.srv.url, 'commander');
  });
  const get = (path: string, t = token) => fetch(`${env.srv.url}${path}`, { headers: { authorization: `Bearer ${t}` } });
  const inCounty = ([lng, lat]: number[]) => lng! > 92 && lng! < 98 && lat! > 39 && lat! < 42.5;

  it('exports every layer as a FeatureCollection matching the store', async () => {
    const { collections } = await env.srv.store.snapshot();
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
    const crews = Object.values((await env.srv.store.snapshot()).collections.ambulances).flatMap((a) => a.crew);
    expect(crews.length).toBeGreaterThan(0);
    for (const name of crews) expect(text).not.toContain(name);
    expect((await get('/api/export/transfers')).status).toBe(400);
    expect((await get('/api/export/hospitals', await login(env.srv.url, 'wall'))).status).toBe(403);
  });

  it('exports the hospitals as EDXL-HAVE 1.0 XML that validates, with their live beds, to commanders and admins only', async () => {
    const { collections } = await env.srv.store.snapshot();
    const target = Object.values(collections.hospitals).find((h) => h.open && h.beds.isolation.total > 0)!;
    const commanderHeaders = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const isolation = { total: target.beds.isolation.total, occupied: target.beds.isolation.total }; // the ward fills up
    const patched = await fetch(`${env.srv.url}/api/hospitals/${target.id}`, { method: 'PATCH', headers: commanderHeaders, body: JSON.stringify({ beds: { isolation } }) });
    expect(patched.status).toBe(200);

    for (const role of ['commander', 'admin']) {
      const res = await get('/api/export/hospitals.have.xml', role === 'commander' ? token : await login(env.srv.url, role));
      expect(res.status, role).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/filename="hospitals-have-\d{4}-\d\d-\d\d\.xml"/);
      expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!)).toMatch(/^医院床位-EDXL-HAVE-\d{4}-\d\d-\d\d\.xml$/);
      const xml = await res.text();
      expect(validateHave(xml).valid, 'validates against EDXL-HAVE 1.0').toBe(true);
      const doc = new DOMParser({
        onError: (level, message) => {
          throw new Error(`${level}: ${message}`);
        },
      }).parseFromString(xml, 'text/xml');
      expect(doc.documentElement!.namespaceURI).toBe(HAVE_NS);
      const hospitals = Array.from(doc.getElementsByTagNameNS(HAVE_NS, 'Hospital'));
      const idOf = (h: Element) => h.getElementsByTagNameNS(XPIL_NS, 'IdentifierElement')[0]!.textContent;
      expect(hospitals.map(idOf).sort()).toEqual(Object.keys(collections.hospitals).sort());
      const hospital = hospitals.find((h) => idOf(h) === target.id)!;
      const np = Array.from(hospital.getElementsByTagNameNS(HAVE_NS, 'BedCapacity')).find(
        (b) => b.getElementsByTagNameNS(HAVE_NS, 'BedType')[0]!.textContent === 'NegativeFlowIsolation',
      )!;
      const field = (name: string) => np.getElementsByTagNameNS(HAVE_NS, name)[0]!.textContent;
      expect([field('CapacityStatus'), field('AvailableCount'), field('BaselineCount')]).toEqual(['NotAvailable', '0', String(isolation.total)]);
    }
    for (const role of ['wall', 'dispatcher', 'field']) {
      const res = await get('/api/export/hospitals.have.xml', await login(env.srv.url, role));
      expect(res.status, role).toBe(403);
    }
    expect((await fetch(`${env.srv.url}/api/export/hospitals.have.xml`)).status).toBe(401);
  });
});
