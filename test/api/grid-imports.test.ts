// Grid imports through the API on a real Redis, with two server processes' apps on it:
// the county's grids with one split in two and one renamed are uploaded, reported, and
// committed; both servers then serve the new grids (new ETag, containment), the live state
// has a status for each new grid and none for the old one, a sampling point in the split
// grid is stamped with its new grid, and the other server's live client hears
// `static-changed` and gets the whole change in one delta. A cancel changes nothing; a file
// with errors cannot be committed; a server started later comes up with the imported grids.
// A pending import's preview map (admins only) draws each feature with its problem, the
// overlaps and gaps, and is gone once the import is cancelled or committed.
import { area as turfArea, bboxClip, bbox as turfBbox } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Delta, GridCollection, GridImportReport, GridPreview, StaticChanged } from '../../server/schema/index.ts';
import { GRID_IMPORT_BODY_LIMIT } from '../../server/routes/grid-imports.ts';
import { sampleCounty, startTestServer, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive } from '../helpers/live.ts';

type Answer = { status: number; body: { data: GridImportReport; seq?: number; error?: string; message?: string } };

describe('grid imports', () => {
  const env = useServer({ redis: true, servers: 2, roles: ['admin', 'commander'] });
  const { tokens } = env;
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => {
    [a, b] = env.servers as [TestServer, TestServer];
  });

  const send = async (srv: TestServer, method: string, path: string, body?: string, type = 'application/geo+json', role = 'admin'): Promise<Answer> => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) }, body });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const grids = async (srv: TestServer) => {
    const res = await fetch(`${srv.url}/api/grids`, { headers: { authorization: `Bearer ${tokens.commander}` } });
    return { etag: res.headers.get('etag'), body: (await res.json()) as GridCollection };
  };
  const preview = async (srv: TestServer, id: string) => {
    const res = await fetch(`${srv.url}/api/imports/grids/${id}/preview`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    return { status: res.status, type: res.headers.get('content-type'), body: res.ok ? ((await res.json()) as GridPreview) : null };
  };
  const locate = async (srv: TestServer, [lng, lat]: [number, number]) =>
    ((await (await fetch(`${srv.url}/api/grids/locate?lng=${lng}&lat=${lat}`, { headers: { authorization: `Bearer ${tokens.commander}` } })).json()) as { id: string }).id;

  it('commits a changed grid set in one step: both servers switch, the live state follows, screens are told', async () => {
    const county = await sampleCounty();
    const before = await grids(a);
    expect((await grids(b)).etag).toBe(before.etag);
    // A sampling point's grid is split at the point's longitude, into a west and an east half.
    const snap = await a.store.snapshot();
    const point = Object.values(snap.collections.samplingPoints)
      .sort((x, y) => x.id.localeCompare(y.id))
      .find((p) => p.gridId)!;
    const splitId = point.gridId!;
    const split = county.grids.features.find((f) => f.properties.id === splitId)!;
    const [w, s, e, n] = turfBbox(split);
    const cut = (point.location[0] + (point.location[0] < (w + e) / 2 ? e : w)) / 2;
    const west = bboxClip(split, [w - 0.01, s - 0.01, cut, n + 0.01]);
    const east = bboxClip(split, [cut, s - 0.01, e + 0.01, n + 0.01]);
    const renamed = county.grids.features.find((f) => f.properties.id !== splitId)!;
    const changed: GridCollection = {
      type: 'FeatureCollection',
      features: [
        ...county.grids.features.filter((f) => f.properties.id !== splitId).map((f) => (f === renamed ? { ...f, properties: { ...f.properties, name: '改名网格' } } : f)),
        { type: 'Feature', geometry: west.geometry, properties: { ...split.properties, id: `${splitId}-W`, name: `${split.properties.name}（西）`, population: 1 } },
        { type: 'Feature', geometry: east.geometry, properties: { ...split.properties, id: `${splitId}-E`, name: `${split.properties.name}（东）`, population: 2 } },
      ],
    } as GridCollection;
    const pointHalf = point.location[0] < cut ? `${splitId}-W` : `${splitId}-E`;

    const uploaded = await send(a, 'POST', '/api/imports/grids?crs=wgs84&fileName=grids.geojson', JSON.stringify(changed));
    expect(uploaded.status).toBe(201);
    const report = uploaded.body.data;
    expect(report).toMatchObject({
      status: 'pending',
      format: 'geojson',
      fileName: 'grids.geojson',
      fileErrors: [],
      errors: [],
      summary: { features: 690, good: 690, added: 2, removed: 1, kept: 688 },
    });
    expect(report.addedIds.sort()).toEqual([`${splitId}-E`, `${splitId}-W`]);
    expect(report.removedIds).toEqual([splitId]);
    // Nothing changes before the commit.
    expect((await grids(a)).etag).toBe(before.etag);
    expect(report.warnings).toEqual([]);
    expect((await send(a, 'GET', `/api/imports/grids/${report.id}`)).body.data.id).toBe(report.id);
    expect((await send(a, 'POST', `/api/imports/grids/${report.id}/commit`, undefined, undefined, 'commander')).status).toBe(403);

    // A commander's screen on the other server.
    const client = connectLive(b.url, { token: tokens.commander });
    const deltas: Delta[] = [];
    const events: StaticChanged[] = [];
    client.on('delta', (d) => deltas.push(d));
    client.on('static-changed', (e) => events.push(e));
    await new Promise((resolve) => client.once('snapshot', resolve));

    const committed = await send(a, 'POST', `/api/imports/grids/${report.id}/commit`);
    expect(committed.status, committed.body.message).toBe(200);
    expect(committed.body.data).toMatchObject({ status: 'committed', committed: { by: 'admin', added: 2, removed: 1 } });
    expect(committed.body.data.committed!.restamped).toBeGreaterThanOrEqual(1);
    const seq = committed.body.seq!;
    const version = committed.body.data.committed!.version;

    const heard = await waitFor(() => events[0], 'static-changed on the other server');
    expect(heard).toEqual({ layer: 'grids', version });
    // The live change: one delta at the commit's seq, with the statuses and the new stamp.
    const delta = await waitFor(() => deltas.find((d) => d.seq === seq), 'the commit’s delta');
    client.close();
    const touched = delta.changes.map((c) => `${c.op} ${c.collection}/${c.op === 'upsert' ? c.entity.id : c.id}`);
    expect(touched).toEqual(
      expect.arrayContaining([`upsert gridStatus/${splitId}-W`, `upsert gridStatus/${splitId}-E`, `remove gridStatus/${splitId}`, `upsert samplingPoints/${point.id}`]),
    );
    expect(deltas.filter((d) => d.changes.some((c) => c.collection === 'gridStatus' && (c.op === 'remove' ? c.id : c.entity.id).startsWith(splitId)))).toHaveLength(1);

    // Both servers serve the new grids, with a new ETag, and locate with them.
    for (const srv of [a, b]) {
      const after = await grids(srv);
      expect(after.etag).toBe(`"${version}"`);
      expect(after.etag).not.toBe(before.etag);
      expect(after.body.features).toHaveLength(690);
      expect(after.body.features.find((f) => f.properties.id === renamed.properties.id)!.properties.name).toBe('改名网格');
      expect(after.body.features.some((f) => f.properties.id === splitId)).toBe(false);
      expect(await locate(srv, point.location)).toBe(pointHalf);
    }
    const live = (await a.store.snapshot()).collections;
    expect(Object.keys(live.gridStatus).sort()).toEqual(changed.features.map((f) => f.properties.id).sort());
    expect(live.gridStatus[`${splitId}-W`]).toMatchObject({ risk: 'low' });
    expect(live.samplingPoints[point.id]!.gridId).toBe(pointHalf);
    // A conditional request with the old ETag gets the new grids, with the new one a 304.
    const revalidated = await fetch(`${a.url}/api/grids`, { headers: { authorization: `Bearer ${tokens.commander}`, 'if-none-match': `"${version}"` } });
    expect(revalidated.status).toBe(304);

    // A server started now comes up with the imported grids, not the county's file.
    const c = await startTestServer({ redis: { url: env.redis!.url, prefix: env.redis!.prefix } });
    try {
      expect((await grids(c)).etag).toBe(`"${version}"`);
      expect(await locate(c, point.location)).toBe(pointHalf);
    } finally {
      await c.close();
    }
    // Committed once only, and its preview is gone.
    expect((await send(a, 'POST', `/api/imports/grids/${report.id}/commit`)).status).toBe(409);
    expect((await preview(a, report.id)).status).toBe(404);
  });

  it('cancels an import, and refuses to commit a file with errors; neither changes anything', async () => {
    const current = await grids(a);
    const seqBefore = await a.store.seq();
    const renamed = structuredClone(current.body);
    renamed.features[0]!.properties.name = '又改名';
    const pending = (await send(a, 'POST', '/api/imports/grids', JSON.stringify(renamed))).body.data;
    expect(pending.errors).toEqual([]);
    // Its preview: every grid, none with a problem, as it would be committed; admins only.
    expect((await send(a, 'GET', `/api/imports/grids/${pending.id}/preview`, undefined, undefined, 'commander')).status).toBe(403);
    const shown = await preview(a, pending.id);
    expect(shown.status).toBe(200);
    expect(shown.type).toMatch(/^application\/geo\+json/);
    const drawn = shown.body!.features.filter((f) => f.properties.kind === 'grid');
    expect(drawn).toHaveLength(renamed.features.length);
    expect(drawn.every((f) => f.properties.kind === 'grid' && f.properties.problem === null)).toBe(true);
    expect(drawn[0]!.properties).toMatchObject({ feature: 1, id: renamed.features[0]!.properties.id, name: '又改名' });
    expect(drawn[5]!.geometry).toEqual(renamed.features[5]!.geometry);
    // The report itself carries no geometry.
    expect(JSON.stringify(pending)).not.toContain('coordinates');
    // The other server reads it too (the store holds it).
    expect((await preview(b, pending.id)).body!.features).toHaveLength(shown.body!.features.length);
    const cancelled = await send(a, 'DELETE', `/api/imports/grids/${pending.id}`);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect((await send(a, 'POST', `/api/imports/grids/${pending.id}/commit`)).status).toBe(409);
    expect((await preview(a, pending.id)).status).toBe(404);

    // The first grid drawn twice under two ids: an overlap the size of a grid, and the id twice.
    const broken = structuredClone(current.body);
    broken.features.push({ ...broken.features[0]!, properties: { ...broken.features[0]!.properties, id: 'COPY' } });
    broken.features.push({ ...broken.features[1]!, properties: { ...broken.features[1]!.properties } });
    const bad = (await send(a, 'POST', '/api/imports/grids', JSON.stringify(broken))).body.data;
    expect(bad.overlaps.find((o) => o.bId === 'COPY')).toMatchObject({ a: 1, aId: current.body.features[0]!.properties.id, b: broken.features.length - 1, blocking: true });
    expect(bad.errors.filter((e) => e.code === 'duplicate-id').map((e) => e.feature)).toEqual([2, broken.features.length]);
    // Its preview: the two copies and the duplicate ids red, the overlap's polygon the size of the grid.
    const marked = (await preview(a, bad.id)).body!;
    const problem = (n: number) => marked.features.find((f) => f.properties.kind === 'grid' && f.properties.feature === n)?.properties;
    for (const n of [1, 2, broken.features.length - 1, broken.features.length]) expect(problem(n)).toMatchObject({ problem: 'error' });
    expect(problem(3)).toMatchObject({ problem: null });
    const overlap = marked.features.find((f) => f.properties.kind === 'overlap' && !f.properties.marker && f.properties.b === broken.features.length - 1);
    expect(overlap?.properties).toMatchObject({ a: 1, blocking: true });
    expect(turfArea(overlap!)).toBeCloseTo(turfArea(current.body.features[0]!), -2);
    expect(marked.features.some((f) => f.properties.kind === 'overlap' && f.properties.marker && f.geometry.type === 'Point')).toBe(true);
    const refused = await send(a, 'POST', `/api/imports/grids/${bad.id}/commit?confirmWarnings=true`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/错误/);

    const unreadable = await send(a, 'POST', '/api/imports/grids', 'not a grid file', 'application/octet-stream');
    expect(unreadable.status).toBe(201);
    expect(unreadable.body.data.fileErrors[0]).toMatch(/无法识别/);
    expect((await preview(a, unreadable.body.data.id)).status).toBe(404);

    for (const srv of [a, b]) expect((await grids(srv)).etag).toBe(current.etag);
    expect(await a.store.seq()).toBe(seqBefore);
  });

  it('refuses a file over the upload limit with a 413 in Chinese', async () => {
    const tooLarge = await send(a, 'POST', '/api/imports/grids', 'x'.repeat(GRID_IMPORT_BODY_LIMIT + 1), 'application/octet-stream');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/请求内容过大：不能超过 20 MB/);
  });
});
