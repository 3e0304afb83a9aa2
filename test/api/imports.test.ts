// Site imports through the API on a real Redis: upload → report → commit, the whole import
// reaching a live socket.io client in one delta; an import with errors refused unless its
// bad rows are skipped; cancel; admins only.
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import type { Delta, ImportReport } from '../../server/schema/index.ts';
import { iter } from 'but-unzip';
import { MAX_XLSX_UNZIPPED_BYTES } from '../../server/imports/read-table.ts';
import { storedZip } from '../helpers/shapefile-parts.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive } from '../helpers/live.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('site imports', () => {
  const env = useServer({ redis: true, roles: ['admin', 'commander'] });

  const send = async (method: string, path: string, body?: Uint8Array<ArrayBuffer> | string, type = 'text/csv', role = 'admin') => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body,
    });
    return { status: res.status, body: (await res.json()) as { data: ImportReport; seq?: number; error?: string; message?: string } };
  };
  const upload = (csv: string, query = 'layer=samplingPoints&crs=wgs84') => send('POST', `/api/imports?${query}`, csv);

  it('uploads an XLSX in GCJ-02, reports it, and commits every row in one delta a live client sees at once', async () => {
    const [[lng, lat]] = [gcoord.transform([95.781, 40.521], gcoord.WGS84, gcoord.GCJ02)];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('采样点');
    sheet.addRow(['编号', '名称', '经度', '纬度', '类型', '开放时间', '采样台数']);
    const ids = Array.from({ length: 30 }, (_, i) => `IMPSP${i}`);
    ids.forEach((id, i) => sheet.addRow([id, `导入采样点${i}`, lng! + i * 1e-4, lat, '便民', '08:00-20:00', 2]));
    sheet.addRow(['SP001', '堡子村便民采样点（更名）', 96.194957, 40.260939, '固定', '24小时', 4]);
    const before = (await env.srv.store.get('samplingPoints', 'SP001'))!;

    const uploaded = await send(
      'POST',
      '/api/imports?layer=samplingPoints&crs=gcj02&fileName=%E9%87%87%E6%A0%B7%E7%82%B9.xlsx',
      new Uint8Array(await workbook.xlsx.writeBuffer()),
      XLSX,
    );
    expect(uploaded.status).toBe(201);
    const report = uploaded.body.data;
    expect(report).toMatchObject({
      status: 'pending',
      layer: 'samplingPoints',
      crs: 'gcj02',
      fileName: '采样点.xlsx',
      fileErrors: [],
      summary: { rows: 31, good: 31, withErrors: 0, create: 30, update: 1 },
    });
    expect(report.id).toMatch(/^IMP-/);
    // Nothing is written before the commit.
    expect(await env.srv.store.get('samplingPoints', 'IMPSP0')).toBeUndefined();
    expect((await send('GET', `/api/imports/${report.id}`)).body.data.summary.good).toBe(31);

    const client = connectLive(env.srv.url, { token: env.tokens.commander });
    const deltas: Delta[] = [];
    client.on('delta', (d) => deltas.push(d));
    await new Promise((resolve) => client.once('snapshot', resolve));

    const committed = await send('POST', `/api/imports/${report.id}/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body.data).toMatchObject({ status: 'committed', committed: { by: 'admin', created: 30, updated: 1, skipped: 0 } });
    const seq = committed.body.seq!;
    const imported = new Set([...ids, 'SP001']);
    const touching = await waitFor(() => {
      const found = deltas.filter((d) => d.changes.some((c) => c.op === 'upsert' && imported.has(c.entity.id)));
      return found.length > 0 ? found : null;
    }, 'the import’s delta');
    client.close();
    // One delta, at the commit's seq, with every row of the import.
    expect(touching).toHaveLength(1);
    expect(touching[0]!.seq).toBe(seq);
    expect(new Set(touching[0]!.changes.map((c) => (c.op === 'upsert' ? c.entity.id : c.id)))).toEqual(imported);

    const first = (await env.srv.store.get('samplingPoints', 'IMPSP0'))!;
    expect(first).toMatchObject({ name: '导入采样点0', kind: 'convenience', hours: { open: '08:00', close: '20:00' }, desks: 2, queue: 0, status: 'open' });
    expect(first.gridId).toBe(env.srv.app.county.locator.locate(...first.location)?.id);
    expect(Math.abs(first.location[0] - 95.781)).toBeLessThan(1e-5);
    const updated = (await env.srv.store.get('samplingPoints', 'SP001'))!;
    expect(updated).toMatchObject({ name: '堡子村便民采样点（更名）', kind: 'fixed', hours: null, desks: 4, queue: before.queue, samplesToday: before.samplesToday });

    // Once only.
    expect((await send('POST', `/api/imports/${report.id}/commit`)).status).toBe(409);
    expect((await send('DELETE', `/api/imports/${report.id}`)).status).toBe(409);
  });

  it('refuses an import with errors unless the bad rows are skipped', async () => {
    const csv = '\uFEFFid,name,lng,lat,rooms\nIMPH1,新隔离酒店,95.79,40.52,120\nIMPH2,县外酒店,116.39,39.9,50\nIMPH3,,95.79,40.52,abc\n';
    const { status, body } = await upload(csv, 'layer=hotels&crs=wgs84');
    expect(status).toBe(201);
    expect(body.data.summary).toEqual({ rows: 3, good: 1, withErrors: 2, create: 1, update: 0 });
    expect(body.data.rows.filter((r) => r.errors.length).map((r) => [r.row, r.errors.map((e) => e.message)])).toEqual([
      [3, ['位置不在本县范围内：116.39, 39.9（请检查坐标系与经纬度顺序）']],
      [4, ['缺少必填项「名称」', '「房间数」不是有效的数字：abc']],
    ]);
    const refused = await send('POST', `/api/imports/${body.data.id}/commit`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('有 2 行存在错误');
    expect(await env.srv.store.get('hotels', 'IMPH1')).toBeUndefined();
    const skipped = await send('POST', `/api/imports/${body.data.id}/commit?skipInvalid=true`);
    expect(skipped.status).toBe(200);
    expect(skipped.body.data.committed).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    expect(await env.srv.store.get('hotels', 'IMPH1')).toMatchObject({ name: '新隔离酒店', rooms: { total: 120, occupied: 0, cleaning: 0 }, people: 0 });
    expect(await env.srv.store.get('hotels', 'IMPH2')).toBeUndefined();
  });

  it('cancels a pending import, which then cannot be committed', async () => {
    const { body } = await upload('编号,呼号,类型\nIMPNP1,瓜州负压99,负压\n', 'layer=ambulances');
    expect(body.data.summary.good).toBe(1);
    const cancelled = await send('DELETE', `/api/imports/${body.data.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect((await send('POST', `/api/imports/${body.data.id}/commit`)).status).toBe(409);
    expect(await env.srv.store.get('ambulances', 'IMPNP1')).toBeUndefined();
    expect((await send('DELETE', '/api/imports/IMP-00000000')).status).toBe(404);
  });

  it('answers 400 for a bad layer or an unreadable workbook, 415 for JSON, 413 over 5 MB', async () => {
    expect((await upload('编号\n', 'layer=grids')).status).toBe(400);
    expect((await send('POST', '/api/imports?layer=hotels', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 9, 9]), XLSX)).body).toMatchObject({ error: 'invalid' });
    expect((await send('POST', '/api/imports?layer=hotels', '{}', 'application/json')).status).toBe(415);
    const tooLarge = await send('POST', '/api/imports?layer=hotels', new Uint8Array(5 * 1024 * 1024 + 1), 'application/octet-stream');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/请求内容过大：不能超过 5 MB/);
  });

  it('refuses an XLSX that unpacks past the limit (a zip bomb) with 413 naming it, before reading it', async () => {
    // A real workbook whose sheet is padded with 64 MB of spaces: under 100 KB deflated.
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('采样点').addRows([
      ['编号', '名称', '经度', '纬度'],
      ['SPX1', '测试点', 95.78, 40.52],
    ]);
    const files: Record<string, Uint8Array> = {};
    for (const entry of iter(new Uint8Array(await workbook.xlsx.writeBuffer()))) files[entry.filename] = await entry.read();
    const sheet = new TextDecoder().decode(files['xl/worksheets/sheet1.xml']);
    files['xl/worksheets/sheet1.xml'] = new TextEncoder().encode(sheet.replace('</worksheet>', `${' '.repeat(64 * 1024 * 1024)}</worksheet>`));
    const bomb = storedZip(files, true) as Uint8Array<ArrayBuffer>;
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await send('POST', '/api/imports?layer=samplingPoints', bomb, XLSX);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'too-large', message: expect.stringContaining(`${MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024} MB`) });
    // The same workbook unpadded is read.
    files['xl/worksheets/sheet1.xml'] = new TextEncoder().encode(sheet);
    expect((await send('POST', '/api/imports?layer=samplingPoints', storedZip(files, true) as Uint8Array<ArrayBuffer>, XLSX)).status).toBe(201);
  }, 60_000);

  it('is for admins only', async () => {
    expect((await send('POST', '/api/imports?layer=hotels', 'id,name\n', 'text/csv', 'commander')).status).toBe(403);
    const { body } = await upload('编号,名称,经度,纬度,房间数\nIMPH9,酒店,95.79,40.52,10\n', 'layer=hotels');
    expect((await send('POST', `/api/imports/${body.data.id}/commit`, undefined, 'text/csv', 'commander')).status).toBe(403);
    expect((await send('GET', `/api/imports/${body.data.id}`, undefined, 'text/csv', 'commander')).status).toBe(403);
    expect((await send('DELETE', `/api/imports/${body.data.id}`, undefined, 'text/csv', 'commander')).status).toBe(403);
  });
});
