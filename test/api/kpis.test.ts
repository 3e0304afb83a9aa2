// The 120 centre's figures through the API on the real app, with a clock the test moves:
// two transfers run through their steps (one unit rolling in 2 minutes, one in 5), and
// GET /api/kpis gives today's and the week's figures from their timestamps, to every
// signed-in screen; the daily report carries the same figures as a sheet.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kpi120 } from '../../server/domain/kpi-120.ts';
import type { TransferTask } from '../../server/schema/index.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const SEAT: [number, number] = [95.7905, 40.5235];
const stableWithHistory = { symptoms: true, history: { travel: true, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };
const MIN = 60_000;

describe('120 KPIs API', () => {
  let now = Date.UTC(2022, 3, 12, 1, 0); // 09:00 in China
  const env = useServer({ clock: () => now, config: { minDisinfectionMs: 30 * MIN } });
  let dispatcher: string;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data: unknown } };
  };

  beforeAll(async () => {
    dispatcher = await login(env.srv.url, 'dispatcher');
  });

  async function runTask(unit: string, rollAfterMin: number): Promise<TransferTask> {
    const created = await call(dispatcher, 'POST', '/api/transfers', { call: stableWithHistory, pickup: { location: SEAT }, address: '渊泉镇', ambulanceId: unit });
    expect(created.status).toBe(201);
    const task = created.body.data as TransferTask;
    const step = async (to: string, afterMin: number, extra: Record<string, unknown> = {}) => {
      now += afterMin * MIN;
      expect((await call(dispatcher, 'POST', `/api/transfers/${task.id}/steps`, { to, ...extra })).status, to).toBe(200);
    };
    await step('en-route', rollAfterMin);
    await step('on-scene', 10);
    await step('transporting', 5);
    await step('handed-over', 20, { handover: { sendingSide: '现场', receivedBy: '急诊' } });
    await step('disinfecting', 5, { decontaminationPointId: 'DECON-SEAT' });
    await step('closed', 40);
    return task;
  }

  it('gives today’s and the week’s figures from the tasks’ steps, to every signed-in role', async () => {
    const t0 = now;
    await runTask('NP01', 2);
    await runTask('NP02', 5);
    const res = await call(await login(env.srv.url, 'wall'), 'GET', '/api/kpis');
    expect(res.status).toBe(200);
    const { today, week } = res.body.data as { today: Kpi120; week: Kpi120 };
    expect(today.calls).toBe(2);
    expect(today.rolling).toEqual({ assigned: 2, within3Min: 1, share: 0.5, target: 0.95 });
    // Call to scene: 2 + 10 = 12 min and 5 + 10 = 15 min.
    expect(today.response).toMatchObject({ count: 2, meanMinutes: 13.5, p90Minutes: 15 });
    expect(today.response.sameArea.count + today.response.crossArea.count + today.response.unknownArea).toBe(2);
    expect(today.toHandover).toMatchObject({ count: 2, meanMinutes: 38.5, p90Minutes: 40 });
    expect(today.disinfection).toEqual({ count: 2, meanMinutes: 40, p90Minutes: 40 });
    const fleet = Object.values((await env.srv.store.snapshot()).collections.ambulances);
    expect(today.fleet).toMatchObject({ total: fleet.length, negativePressure: fleet.filter((a) => a.kind === 'negative-pressure').length });
    expect(week.calls).toBe(2);
    expect(today.from).toBeLessThanOrEqual(t0);
    expect(week.from).toBe(today.from - 6 * 86_400_000);

    for (const role of ['admin', 'commander', 'dispatcher', 'field'] as const) expect((await call(await login(env.srv.url, role), 'GET', '/api/kpis')).status, role).toBe(200);
    expect((await fetch(`${env.srv.url}/api/kpis`)).status).toBe(401);
  });

  it('puts the figures in the daily report’s 120指标 sheet', async () => {
    const commander = await login(env.srv.url, 'commander');
    const made = await call(commander, 'POST', '/api/reports');
    expect(made.status).toBeLessThan(300);
    const { date } = made.body.data as { date: string };
    const report = (await call(commander, 'GET', `/api/reports/${date}/json`)).body.data as { sheets: { name: string; rows: string[][] }[] };
    const sheet = report.sheets.find((s) => s.name === '120指标')!;
    expect(sheet.rows.find((r) => r[0] === '3分钟出车率')).toEqual(['3分钟出车率', '50%（1/2）', '≥ 95%', expect.stringContaining('3分钟内出车')]);
    expect(sheet.rows.find((r) => r[0] === '负压车占比')![2]).toBe('≥ 40%');
  });
});
