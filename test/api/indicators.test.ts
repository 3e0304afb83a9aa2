// GET /api/indicators reflects the live state at once; the history records once per
// interval slot and serves the last hours, with the simulator's past marked simulated.
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../server/schema/index.ts';
import type { Indicators } from '../../server/domain/indicators.ts';
import { simulatedPast } from '../../server/simulator/history-backfill.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

describe('indicators and history', () => {
  let now = Date.UTC(2026, 10, 23, 2, 0, 0); // 10:00 in Guazhou
  const env = useServer({ clock: () => now, config: { historyIntervalMs: 60_000 } });
  let token: string;
  const get = async <T>(path: string) => ((await (await fetch(`${env.srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: T }).data;

  beforeAll(async () => {
    token = await login(env.srv.url, 'wall');
  });

  it('counts what the live state holds, and follows a change at once', async () => {
    const before = await get<Indicators>('/api/indicators');
    const snap = await env.srv.store.snapshot();
    const open = Object.values(snap.collections.samplingPoints).filter((p) => p.status === 'open');
    expect(before.sampling.openPoints).toBe(open.length);
    expect(before.sampling.queuing).toBe(open.reduce((n, p) => n + p.queue, 0));
    expect(before.ambulances.total).toBe(Object.keys(snap.collections.ambulances).length);
    expect(before.sampling.byTown).toHaveLength(15);
    const point = open[0]!;
    await env.srv.store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, queue: point.queue + 37 } }], now);
    expect((await get<Indicators>('/api/indicators')).sampling.queuing).toBe(before.sampling.queuing + 37);
  });

  it('records once per interval slot and serves the last hours', async () => {
    expect(await env.srv.app.history.record()).toBe(true);
    expect(await env.srv.app.history.record()).toBe(false); // same minute: another process's slot
    now += 60_000;
    expect(await env.srv.app.history.record()).toBe(true);
    const points = await get<HistoryPoint[]>('/api/history?hours=1');
    expect(points.map((p) => p.at)).toEqual([now - 60_000, now]);
    expect(points[1]!.queuing).toBe((await get<Indicators>('/api/indicators')).sampling.queuing);
  });

  it('marks the simulator’s past as simulated and ends it at the present', () => {
    const present: HistoryPoint = {
      at: now,
      queuing: 300,
      openPoints: 80,
      crowdedPoints: 5,
      samplesToday: 9000,
      isolationPeople: 600,
      roomsOccupied: 580,
      roomsTotal: 900,
      designatedOccupancy: 0.3,
      reserveOccupancy: 0.05,
      ambulancesAvailable: 9,
    };
    const past = simulatedPast(present);
    expect(past).toHaveLength(144);
    expect(past.every((p) => p.simulated === true && p.at < now)).toBe(true);
    // The night before 07:00 is quiet, the morning peak is not.
    const at = (h: number) => past.find((p) => new Date(p.at + 8 * 3_600_000).getUTCHours() === h)!;
    expect(at(3).queuing).toBeLessThan(at(9).queuing);
  });
});
