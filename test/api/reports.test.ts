// The daily report through the server on a real Redis with a fake clock: nothing before
// 17:00, the day's report at 17:00 made by one process only, on demand by a commander,
// refused to a dispatcher, and downloaded as XLSX (opened and its cells read back) and CSV.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Reports } from '../../server/services/reports.ts';
import { login, sampleCounty } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

/** 2026-11-30 16:59 in Guazhou (UTC+8). */
const BEFORE = Date.UTC(2026, 10, 30, 8, 59, 0);
const DUE = Date.UTC(2026, 10, 30, 9, 0, 0);

describe('daily reports', () => {
  let now = BEFORE;
  const env = useServer({ redis: true, clock: () => now });
  let commander: string;
  beforeAll(async () => {
    commander = await login(env.srv.url, 'commander');
  });
  const get = (path: string, token = commander) => fetch(`${env.srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('makes the day’s report at 17:00, once, whichever process comes first', async () => {
    expect(await env.srv.app.reports.tick()).toBeNull(); // 16:59: not yet
    now = DUE;
    // A second process on the same Redis ticks at the same moment: one report between them.
    const county = await sampleCounty();
    const other = new Reports(
      env.srv.store,
      county.grids.features.map((f) => f.properties),
      () => now,
      {
        dueMinutes: 17 * 60,
        timeZone: 'Asia/Shanghai',
        countyName: '瓜州县',
        escalationThreshold: 0.5,
      },
    );
    const made = (await Promise.all([env.srv.app.reports.tick(), other.tick()])).filter(Boolean);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ date: '2026-11-30', onDemand: false, generatedAt: DUE });
    expect(await env.srv.app.reports.tick()).toBeNull();
    const list = (await (await get('/api/reports')).json()) as { data: { date: string; onDemand: boolean }[]; due: string; timeZone: string };
    expect(list).toMatchObject({ due: '17:00', timeZone: 'Asia/Shanghai', data: [{ date: '2026-11-30', onDemand: false }] });
  });

  it('is made on demand by a commander, and refused to a dispatcher', async () => {
    now = DUE + 3_600_000;
    const res = await fetch(`${env.srv.url}/api/reports`, { method: 'POST', headers: { authorization: `Bearer ${commander}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { date: '2026-11-30', onDemand: true, generatedAt: now } });
    const dispatcher = await login(env.srv.url, 'dispatcher');
    expect((await fetch(`${env.srv.url}/api/reports`, { method: 'POST', headers: { authorization: `Bearer ${dispatcher}` } })).status).toBe(403);
    expect((await get('/api/reports', dispatcher)).status).toBe(403);
    expect((await get('/api/reports/2026-11-30/xlsx', dispatcher)).status).toBe(403);
  });

  it('downloads as XLSX whose cells read back as the report', async () => {
    const report = (
      (await (await get('/api/reports/2026-11-30/json')).json()) as { data: { title: string; sheets: { name: string; columns: string[]; rows: (string | number)[][] }[] } }
    ).data;
    const res = await get('/api/reports/2026-11-30/xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(report.title)}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '核酸采样', '检测时效', '集中隔离', '定点收治', '转运任务', '120指标', '告警']);
    for (const sheet of report.sheets) {
      const ws = workbook.getWorksheet(sheet.name)!;
      expect(ws.getCell('A1').value).toBe(report.title);
      expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(sheet.columns);
      sheet.rows.forEach((row, i) => expect((ws.getRow(3 + i).values as unknown[]).slice(1)).toEqual(row));
    }
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getCell('A3').value).toBe('报告日期');
    expect(summary.getCell('B3').value).toBe('2026-11-30');
    // The sample's hotels are in it, with their people.
    expect(workbook.getWorksheet('集中隔离')!.rowCount).toBe(2 + report.sheets.find((s) => s.name === '集中隔离')!.rows.length);
  });

  it('downloads as CSV for Excel: BOM, CRLF, every sheet under its name', async () => {
    const res = await get('/api/reports/2026-11-30/csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes); // (the decoder drops the BOM)
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('瓜州县疫情防控工作日报（2026-11-30）');
    for (const name of ['汇总', '核酸采样', '检测时效', '集中隔离', '定点收治', '转运任务', '120指标', '告警']) expect(lines).toContain(name);
    expect(lines).toContain('项目,数值,说明');
  });

  it('says when a day has no report, and refuses a malformed date', async () => {
    expect((await get('/api/reports/2026-11-01/xlsx')).status).toBe(404);
    expect((await get('/api/reports/yesterday/xlsx')).status).toBe(400);
    expect((await get('/api/reports/2026-11-30/pdf')).status).toBe(400);
  });

  it('leaves out a kept report or listing that does not read, and reads a figure kept as null as an empty cell', async () => {
    const store = env.srv.store;
    const listed = async () => ((await (await get('/api/reports')).json()) as { data: { date: string }[] }).data.map((r) => r.date);
    const before = await listed();
    await store.putDocument('report-index', '2026-11-02', 'not json');
    await store.putDocument('report-index', '2026-11-03', JSON.stringify({ date: '2026-11-03', title: 7 }));
    await store.putDocument('report', '2026-11-03', JSON.stringify({ date: '2026-11-03', sheets: 'none' }));
    expect(await listed()).toEqual(before);
    expect((await get('/api/reports/2026-11-03/csv')).status).toBe(404);
    // A report whose figure JSON wrote as null (a NaN) downloads with that cell empty.
    const kept = (await env.srv.app.reports.get('2026-11-30'))!;
    const sheet = { name: '测试', columns: ['项目', '数值'], rows: [['份额', null]] };
    await store.putDocument('report', '2026-11-04', JSON.stringify({ ...kept, date: '2026-11-04', sheets: [sheet] }));
    const csv = await (await get('/api/reports/2026-11-04/csv')).text();
    expect(csv.split('\r\n')).toContain('份额,');
  });
});
