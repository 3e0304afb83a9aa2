// Town and village imports through the API on a real Redis, with two server processes' apps on
// it: the fixture CSV with a village renamed and a town renamed is uploaded and reported
// (rows kept and rejected by reason, centres given and computed, a flagged centre), refused
// while it has rejected rows or unconfirmed warnings, committed; then both processes find the
// new village by its pinyin initials in the gazetteer at its centre, label the renamed town
// (GET /api/county, /api/towns with new ETags, the wall's sampling by town), and the other
// process's screen hears `static-changed {layer: 'towns'}`. Guards: admins only (commanders
// and dispatchers refused on the matched route), unreadable files, stale base, cancel; a
// process started later comes up on the imported records.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GazetteerEntry, GridCollection, StaticChanged, Town, TownImportReport, TownPreview } from '../../server/schema/index.ts';
import { TOWN_IMPORT_BODY_LIMIT } from '../../server/routes/town-imports.ts';
import { connectLive } from '../helpers/live.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

type Answer = { status: number; body: { data: TownImportReport; error?: string; message?: string } };
const fixture = readFileSync('test/fixtures/towns/guazhou.csv', 'utf8');
/** 疏勒社区 becomes 星火新村 at a given centre, 柳园镇 becomes 柳园新镇 of 23,456 people, and two bad rows follow (rows 107, 108). */
const file = `${fixture
  .replace('疏勒社区居委会,620922100001,,,', '星火新村,620922100001,95.79,40.51,')
  .replace('柳园镇,620922101,95.45,41.1,,', '柳园新镇,620922101,95.45,41.1,23456,')
  .replaceAll(',柳园镇\n', ',柳园新镇\n')}外县村,620921100001,95.8,40.5,,\n远方村,620922102097,100.5,36.1,,\n`;

describe('town and village imports', () => {
  const env = useServer({ redis: true, servers: 2, roles: ['admin', 'commander', 'dispatcher', 'wall'] });
  const { tokens } = env;
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => {
    [a, b] = env.servers as [TestServer, TestServer];
  });

  const send = async (srv: TestServer, method: string, path: string, body?: Uint8Array | string, type = 'text/csv', role = 'admin'): Promise<Answer> => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body: body as BodyInit | undefined,
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const get = async <T>(srv: TestServer, path: string, role = 'dispatcher') => {
    const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
    return { etag: res.headers.get('etag'), body: (await res.json()) as T };
  };
  const places = async (srv: TestServer, q: string) => (await get<{ data: GazetteerEntry[] }>(srv, `/api/gazetteer?q=${encodeURIComponent(q)}`)).body.data;

  it('reports a file, commits it once its bad rows are left out and its flagged centre confirmed, and every process names and finds the new places', async () => {
    const before = await get<{ towns: Town[] }>(b, '/api/county', 'commander');
    const gridsBefore = await get<GridCollection>(b, '/api/grids', 'commander');
    type ByTown = { town: string; population: number; samplesToday: number; share: number }[];
    const byTownBefore = (await get<{ data: { sampling: { byTown: ByTown } } }>(b, '/api/indicators', 'commander')).body.data.sampling.byTown;
    const gridSum = (code: string) => gridsBefore.body.features.filter((f) => f.properties.townCode === code).reduce((n, f) => n + f.properties.population, 0);
    expect(byTownBefore.find((t) => t.town === '柳园镇')!.population).toBe(gridSum('620922101'));
    expect(gridsBefore.body.features.filter((f) => f.properties.townCode === '620922101').map((f) => f.properties.townName)).toContain('柳园镇');
    expect((await places(b, 'xhxc')).filter((p) => p.name === '星火新村')).toEqual([]);

    const uploaded = await send(a, 'POST', '/api/imports/towns?fileName=guazhou.csv', file);
    expect(uploaded.status, uploaded.body.message).toBe(201);
    const report = uploaded.body.data;
    expect(report).toMatchObject({ status: 'pending', format: 'csv', fileName: 'guazhou.csv', fileErrors: [] });
    expect(report.summary).toMatchObject({ rows: 107, kept: 106, rejected: 1, towns: 15, villages: 91, centresGiven: 17, centresFromGrids: 89, flagged: 1 });
    expect(report.rejected).toEqual([
      { reason: 'foreign-code', count: 1, rows: [107] },
      { reason: 'unknown-town', count: 1, rows: [107] },
    ]);
    expect(report.unmatched.villagesWithoutGrids.map((v) => v.code)).toEqual(['620922102097']);
    expect((await send(a, 'GET', `/api/imports/towns/${report.id}`)).body.data.id).toBe(report.id);

    // The preview: every record's centre, the flagged one marked; admins only.
    const previewRes = await fetch(`${a.url}/api/imports/towns/${report.id}/preview`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(previewRes.headers.get('content-type')).toMatch(/geo\+json/);
    const preview = (await previewRes.json()) as TownPreview;
    expect(preview.features).toHaveLength(106);
    expect(preview.features.filter((f) => f.properties.flagged).map((f) => f.properties.name)).toEqual(['远方村']);

    // Nothing changes before the commit; commanders and dispatchers may not commit; bad rows and the warning must be accepted.
    expect((await get(b, '/api/county', 'commander')).etag).toBe(before.etag);
    for (const role of ['commander', 'dispatcher']) {
      expect((await send(a, 'POST', `/api/imports/towns/${report.id}/commit?skipInvalid=true&confirmWarnings=true`, undefined, undefined, role)).status).toBe(403);
      expect((await send(a, 'GET', `/api/imports/towns/${report.id}/preview`, undefined, undefined, role)).status).toBe(403);
    }
    expect((await send(a, 'POST', `/api/imports/towns/${report.id}/commit?confirmWarnings=true`)).body.message).toMatch(/有 1 行有错误/);
    expect((await send(a, 'POST', `/api/imports/towns/${report.id}/commit?skipInvalid=true`)).body.message).toMatch(/警告/);

    const client = connectLive(b.url, { token: tokens.commander });
    const events: StaticChanged[] = [];
    client.on('static-changed', (e) => events.push(e));
    await new Promise((resolve) => client.once('snapshot', resolve));

    const committed = await send(a, 'POST', `/api/imports/towns/${report.id}/commit?skipInvalid=true&confirmWarnings=true`);
    expect(committed.status, committed.body.message).toBe(200);
    expect(committed.body.data).toMatchObject({ status: 'committed', committed: { by: 'admin', towns: 15, villages: 91 } });
    const version = committed.body.data.committed!.version;
    expect(await waitFor(() => events.find((e) => e.layer === 'towns'), 'static-changed on the other server')).toEqual({ layer: 'towns', version });
    // The grids' names changed with the records: the other process's screens refetch the grids too (their popups).
    const gridsHeard = await waitFor(() => events.find((e) => e.layer === 'grids'), 'static-changed grids on the other server');
    client.close();
    expect((await send(a, 'POST', `/api/imports/towns/${report.id}/commit?skipInvalid=true&confirmWarnings=true`)).status).toBe(409);

    for (const srv of [a, b]) {
      expect(srv.app.townLayers.current.version).toBe(version);
      // The gazetteer finds the new village by its pinyin initials, at the file's centre, under its town.
      const [village] = await places(srv, 'xhxc');
      expect(village).toMatchObject({ kind: 'village', id: '620922100001', name: '星火新村', townName: '渊泉镇', point: [95.79, 40.51] });
      const grid = (await places(srv, '疏勒社区第1网格'))[0]!;
      expect(grid).toMatchObject({ kind: 'grid', villageName: '星火新村' });
      // The map's labels and the tablets' towns.
      const after = await get<{ towns: Town[] }>(srv, '/api/county', 'commander');
      expect(after.etag).not.toBe(before.etag);
      expect(after.body.towns.map((t) => t.name)).toContain('柳园新镇');
      expect(after.body.towns.map((t) => t.name)).not.toContain('柳园镇');
      expect((await get<{ data: Town[] }>(srv, '/api/towns', 'commander')).body.data.find((t) => t.code === '620922101')!.name).toBe('柳园新镇');
      // The grids (the map's popups), on every process: the renamed town and village by code, under a new version and ETag.
      const config = await get<{ gridsVersion: string }>(srv, '/api/client-config', 'commander');
      expect(config.body.gridsVersion).toBe(gridsHeard.version);
      expect(config.body.gridsVersion).not.toBe(srv.app.gridLayers.current.version);
      const grids = await get<GridCollection>(srv, '/api/grids', 'commander');
      expect(grids.etag).toBe(`"${gridsHeard.version}"`);
      expect(grids.etag).not.toBe(gridsBefore.etag);
      const liuyuan = grids.body.features.filter((f) => f.properties.townCode === '620922101');
      expect(liuyuan.length).toBeGreaterThan(0);
      expect(new Set(liuyuan.map((f) => f.properties.townName))).toEqual(new Set(['柳园新镇']));
      expect(grids.body.features.filter((f) => f.properties.villageCode === '620922100001').map((f) => f.properties.villageName)).toContain('星火新村');
      expect(grids.body.features.some((f) => f.properties.townName === '柳园镇')).toBe(false);
      expect(grids.body.features.map((f) => f.properties.id)).toEqual(gridsBefore.body.features.map((f) => f.properties.id));
      // The wall's own view of the grids, and which grid holds a point.
      expect((await get<GridCollection>(srv, '/api/grids', 'wall')).body.features.find((f) => f.properties.townCode === '620922101')!.properties.townName).toBe('柳园新镇');
      const point = srv.app.gridLayers.current.gridPoint(liuyuan[0]!.properties.id)!;
      expect((await get<{ townName: string }>(srv, `/api/grids/locate?lng=${point[0]}&lat=${point[1]}`)).body.townName).toBe('柳园新镇');
      // The wall's sampling by town is under the new name.
      const indicators = await get<{ data: { sampling: { byTown: ByTown } } }>(srv, '/api/indicators', 'commander');
      expect(indicators.body.data.sampling.byTown.map((t) => t.town)).toContain('柳园新镇');
      // Of the record's 23,456 people (the grids sum to fewer); a town whose record has no population keeps its grids' sum.
      const liuyuanNew = indicators.body.data.sampling.byTown.find((t) => t.town === '柳园新镇')!;
      expect(gridSum('620922101')).not.toBe(23456);
      expect(liuyuanNew.population).toBe(23456);
      expect(liuyuanNew.share).toBeCloseTo(liuyuanNew.samplesToday / 23456, 12);
      expect(indicators.body.data.sampling.byTown.find((t) => t.town === '渊泉镇')!.population).toBe(gridSum('620922100'));
      expect((await get<{ towns: Town[] }>(srv, '/api/county', 'commander')).body.towns.find((t) => t.code === '620922101')!.population).toBe(23456);
      // The daily report's sampling sheet (常住人口) counts the same.
      expect((await send(srv, 'POST', '/api/reports', undefined, undefined, 'commander')).status).toBe(200);
      const listed = (await get<{ data: { date: string }[] }>(srv, '/api/reports', 'commander')).body.data[0]!;
      const report = (await get<{ data: { sheets: { name: string; columns: string[]; rows: unknown[][] }[] } }>(srv, `/api/reports/${listed.date}/json`, 'commander')).body.data;
      const sheet = report.sheets.find((sh) => sh.columns.includes('常住人口'))!;
      expect(sheet.rows.find((r) => r[0] === '柳园新镇')![sheet.columns.indexOf('常住人口')]).toBe(23456);
    }

    // A process started now comes up on the imported records.
    const c = await startTestServer({ redis: { url: env.redis!.url, prefix: env.redis!.prefix } });
    try {
      expect(c.app.townLayers.current.version).toBe(version);
      expect(c.app.townLayers.current.villages).toHaveLength(91);
    } finally {
      await c.close();
    }
  });

  it('refuses a report checked against towns another import has since replaced', async () => {
    const one = '名称,代码,乡镇代码\n疏勒社区,620922100001,620922100\n';
    const first = (await send(a, 'POST', '/api/imports/towns', one)).body.data;
    const second = (await send(a, 'POST', '/api/imports/towns', one)).body.data;
    // Villages only: the board's towns stay, and the other villages' grids have no record now (a warning).
    expect(first.summary).toMatchObject({ keepsTowns: true, villages: 1 });
    expect((await send(a, 'POST', `/api/imports/towns/${first.id}/commit?confirmWarnings=true`)).status).toBe(200);
    expect((await places(b, 'slsq'))[0]).toMatchObject({ kind: 'village', name: '疏勒社区' });
    const stale = await send(a, 'POST', `/api/imports/towns/${second.id}/commit?confirmWarnings=true`);
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/已被另一次导入更换/);
  });

  it('reports an unreadable file, keeps nothing to commit, and cancels', async () => {
    const version = a.app.townLayers.current.version;
    const bad = await send(a, 'POST', '/api/imports/towns', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(bad.status).toBe(201);
    expect(bad.body.data.fileErrors[0]).toMatch(/无法读取 Excel 文件/);
    expect((await send(a, 'POST', `/api/imports/towns/${bad.body.data.id}/commit?skipInvalid=true&confirmWarnings=true`)).body.message).toMatch(/文件有错误/);
    const cancelled = await send(a, 'DELETE', `/api/imports/towns/${bad.body.data.id}`);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect((await fetch(`${a.url}/api/imports/towns/${bad.body.data.id}/preview`, { headers: { authorization: `Bearer ${tokens.admin}` } })).status).toBe(404);
    expect(a.app.townLayers.current.version).toBe(version);
  });

  it('takes uploads from admins only, as file bodies, up to the limit', async () => {
    for (const role of ['commander', 'dispatcher']) expect((await send(a, 'POST', '/api/imports/towns', file, 'text/csv', role)).status).toBe(403);
    // Access is decided on the matched route, however the path is spelt.
    expect(
      (await fetch(`${a.url}/%61pi/imports/towns`, { method: 'POST', headers: { authorization: `Bearer ${tokens.commander}`, 'content-type': 'text/csv' }, body: file })).status,
    ).toBe(403);
    expect((await send(a, 'POST', '/api/imports/towns', '', 'text/csv')).status).toBe(415);
    expect((await send(a, 'POST', '/api/imports/towns?crs=mars', file)).status).toBe(400);
    expect((await send(a, 'POST', '/api/imports/towns', new Uint8Array(TOWN_IMPORT_BODY_LIMIT + 1), 'application/octet-stream')).status).toBe(413);
  });
});
