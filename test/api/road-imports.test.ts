// Road imports through the API on a real Redis, with two server processes' apps on it: the
// hand-made OSM extract is uploaded, reported (kept and dropped by reason, km by class, the
// pieces and islands), refused without confirming its warning, committed with it; both
// servers then route on it (a dispatch recommendation's routes run over its vertices), serve
// it as the county's roads (new ETag), coverage searches it, and the other server's screen
// hears `static-changed`. Guards: admins only, bounded uploads, unreadable files reported in
// Chinese and never committable, cancel, a second import over a stale base refused; a server
// started later comes up on the imported roads.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoadImportReport, RoadPreview, StaticChanged } from '../../server/schema/index.ts';
import { ROAD_IMPORT_BODY_LIMIT } from '../../server/routes/road-imports.ts';
import { connectLive } from '../helpers/live.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

type Answer = { status: number; body: { data: RoadImportReport; error?: string; message?: string } };
const osmXml = readFileSync('test/fixtures/roads/small.osm');
const osmPbf = readFileSync('test/fixtures/roads/small.osm.pbf');
const fever = { symptoms: true, history: { travel: false, residence: false, contact: false, exposure: false }, condition: 'unknown', facilityTransfer: false };

describe('road imports', () => {
  const env = useServer({ redis: true, servers: 2, roles: ['admin', 'commander', 'dispatcher'] });
  const { tokens } = env;
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => {
    [a, b] = env.servers as [TestServer, TestServer];
  });

  const send = async (srv: TestServer, method: string, path: string, body?: Uint8Array | string, type = 'application/octet-stream', role = 'admin'): Promise<Answer> => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body: body as BodyInit | undefined,
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const county = async (srv: TestServer) => {
    const res = await fetch(`${srv.url}/api/county`, { headers: { authorization: `Bearer ${tokens.commander}` } });
    return { etag: res.headers.get('etag'), body: (await res.json()) as { roads: { features: { properties: { class: string } }[] } } };
  };
  const recommend = async (srv: TestServer, location: [number, number]) => {
    const res = await fetch(`${srv.url}/api/dispatch/recommend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.dispatcher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ call: fever, pickup: { location } }),
    });
    return ((await res.json()) as { data: { options: { etaSeconds: number; route: [number, number][] | null }[] } }).data.options;
  };

  it('reports an OSM extract, commits it once confirmed, and every process routes on it', async () => {
    const before = await county(a);
    expect((await county(b)).etag).toBe(before.etag);
    const pickup: [number, number] = [95.85, 40.5];
    const etasBefore = (await recommend(b, pickup)).map((o) => o.etaSeconds);

    const uploaded = await send(a, 'POST', '/api/imports/roads?fileName=small.osm.pbf&marginKm=5', osmPbf);
    expect(uploaded.status, uploaded.body.message).toBe(201);
    const report = uploaded.body.data;
    expect(report).toMatchObject({
      status: 'pending',
      format: 'osm-pbf',
      fileName: 'small.osm.pbf',
      fileErrors: [],
      area: { marginKm: 5 },
      summary: { read: 10, kept: 5, dropped: 5 },
    });
    expect(Object.fromEntries(report.dropped.map((d) => [d.reason, d.count]))).toEqual({ 'not-drivable': 1, 'not-a-road': 1, 'no-access': 1, 'outside-area': 2 });
    expect(report.classes.map((c) => c.class)).toEqual(['trunk', 'motorway', 'primary', 'residential', 'unclassified']);
    expect(report.components).toMatchObject({ count: 3, islands: [{ rank: 1 }, { rank: 2 }] });
    expect(report.warnings[0]).toMatch(/路网不连通/);
    expect((await send(a, 'GET', `/api/imports/roads/${report.id}`)).body.data.id).toBe(report.id);

    // The preview: every kept road with its piece, a point on each island; admins only.
    const previewRes = await fetch(`${a.url}/api/imports/roads/${report.id}/preview`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(previewRes.headers.get('content-type')).toMatch(/geo\+json/);
    const preview = (await previewRes.json()) as RoadPreview;
    expect(preview.features.filter((f) => f.properties.kind === 'road')).toHaveLength(5);
    expect(preview.features.filter((f) => f.properties.kind === 'island')).toHaveLength(2);
    expect((await send(a, 'GET', `/api/imports/roads/${report.id}/preview`, undefined, undefined, 'commander')).status).toBe(403);

    // Nothing changes before the commit; a commander may not commit; the warning must be confirmed.
    expect((await county(a)).etag).toBe(before.etag);
    expect((await send(a, 'POST', `/api/imports/roads/${report.id}/commit?confirmWarnings=true`, undefined, undefined, 'commander')).status).toBe(403);
    const unconfirmed = await send(a, 'POST', `/api/imports/roads/${report.id}/commit`);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.message).toMatch(/警告/);

    const client = connectLive(b.url, { token: tokens.commander });
    const events: StaticChanged[] = [];
    client.on('static-changed', (e) => events.push(e));
    await new Promise((resolve) => client.once('snapshot', resolve));

    const committed = await send(a, 'POST', `/api/imports/roads/${report.id}/commit?confirmWarnings=true`);
    expect(committed.status, committed.body.message).toBe(200);
    expect(committed.body.data).toMatchObject({ status: 'committed', committed: { by: 'admin' } });
    const version = committed.body.data.committed!.version;
    expect(await waitFor(() => events[0], 'static-changed on the other server')).toEqual({ layer: 'roads', version });
    client.close();
    expect((await send(a, 'POST', `/api/imports/roads/${report.id}/commit?confirmWarnings=true`)).status).toBe(409);

    const vertices = new Set(['95.7,40.5', '95.75,40.5', '95.8,40.5', '95.85,40.5', '95.75,40.52', '95.75,40.55', '95.9,40.6', '95.91,40.6', '95.6,40.4', '95.65,40.4']);
    for (const srv of [a, b]) {
      expect(srv.app.roadLayers.current.version).toBe(version);
      const after = await county(srv);
      expect(after.etag).not.toBe(before.etag);
      expect(after.body.roads.features.map((f) => f.properties.class).sort()).toEqual(['motorway', 'primary', 'residential', 'trunk', 'unclassified']);
      // Dispatch routes over the imported roads: every point between the unit and the pickup is one of its vertices.
      const options = await recommend(srv, pickup);
      const routed = options.filter((o) => o.route && o.route.length > 2);
      expect(routed.length).toBeGreaterThan(0);
      for (const o of routed) for (const p of o.route!.slice(1, -1)) expect(vertices.has(`${p[0]},${p[1]}`), `${p} is a vertex of the import`).toBe(true);
      expect(options.map((o) => o.etaSeconds)).not.toEqual(etasBefore);
    }
    // Coverage searches the imported roads: its reach is built over them.
    const coverage = await fetch(`${b.url}/api/coverage`, { headers: { authorization: `Bearer ${tokens.dispatcher}` } });
    expect(coverage.status).toBe(200);

    // A process started now comes up on the imported roads.
    const c = await startTestServer({ redis: { url: env.redis!.url, prefix: env.redis!.prefix } });
    try {
      expect(c.app.roadLayers.current.version).toBe(version);
      expect(c.app.roadLayers.current.network.vertices).toHaveLength(10);
    } finally {
      await c.close();
    }
  });

  it('refuses a report checked against roads another import has since replaced', async () => {
    const one = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { class: 'county' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [95.7, 40.5],
              [95.8, 40.5],
            ],
          },
        },
      ],
    };
    const first = (await send(a, 'POST', '/api/imports/roads', JSON.stringify(one), 'application/geo+json')).body.data;
    const second = (await send(a, 'POST', '/api/imports/roads', osmXml, 'application/xml')).body.data;
    expect([first.format, second.format]).toEqual(['geojson', 'osm-xml']);
    expect((await send(a, 'POST', `/api/imports/roads/${first.id}/commit?confirmWarnings=true`)).status).toBe(200);
    const stale = await send(a, 'POST', `/api/imports/roads/${second.id}/commit?confirmWarnings=true`);
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/路网已被另一次导入更换/);
  });

  it('reports an unreadable file in Chinese, keeps nothing to commit, and cancels', async () => {
    const version = a.app.roadLayers.current.version;
    const bad = await send(a, 'POST', '/api/imports/roads', '<osm><way id="1"><nd ref="1"/></osm>', 'application/xml');
    expect(bad.status).toBe(201);
    expect(bad.body.data.fileErrors[0]).toMatch(/OSM XML 格式有误/);
    const refused = await send(a, 'POST', `/api/imports/roads/${bad.body.data.id}/commit?confirmWarnings=true`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/文件有错误/);
    const nothing = await send(
      a,
      'POST',
      '/api/imports/roads',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { highway: 'footway' },
            geometry: {
              type: 'LineString',
              coordinates: [
                [95.7, 40.5],
                [95.8, 40.5],
              ],
            },
          },
        ],
      }),
      'application/geo+json',
    );
    expect((await send(a, 'POST', `/api/imports/roads/${nothing.body.data.id}/commit`)).body.message).toMatch(/没有可通行的道路/);
    const cancelled = await send(a, 'DELETE', `/api/imports/roads/${nothing.body.data.id}`);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect((await fetch(`${a.url}/api/imports/roads/${nothing.body.data.id}/preview`, { headers: { authorization: `Bearer ${tokens.admin}` } })).status).toBe(404);
    expect(a.app.roadLayers.current.version).toBe(version);
  });

  it('takes uploads from admins only, as file bodies, up to the limit', async () => {
    expect((await send(a, 'POST', '/api/imports/roads', osmXml, 'application/xml', 'commander')).status).toBe(403);
    const empty = await send(a, 'POST', '/api/imports/roads', '', 'application/octet-stream');
    expect(empty.status).toBe(415);
    expect(empty.body.message).toMatch(/请以文件内容作为请求体上传/);
    expect((await send(a, 'POST', '/api/imports/roads?marginKm=900', osmXml, 'application/xml')).status).toBe(400);
    const tooLarge = await send(a, 'POST', '/api/imports/roads', new Uint8Array(ROAD_IMPORT_BODY_LIMIT + 1), 'application/octet-stream');
    expect(tooLarge.status).toBe(413);
  });
});
