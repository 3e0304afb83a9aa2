// "Today" means the county's day (issue 18, part 6): two processes on one Redis with a
// fake clock cross the county's midnight. A write after midnight starts the site's
// counters again; the tick brings every other site to the new day, each site once
// between the two processes; the wall's figures and the new day's report count nothing
// from yesterday, and a day with nothing new is filed as a 零报告.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

/** 2026-12-01 23:58 in Guazhou (UTC+8). */
const LATE = Date.UTC(2026, 11, 1, 15, 58, 0);
/** 2026-12-02 00:00:20 there. */
const AFTER_MIDNIGHT = Date.UTC(2026, 11, 1, 16, 0, 20);

describe('today rolls over at the county’s midnight, once across processes', () => {
  let now = LATE;
  const env = useServer({ redis: true, servers: 2, clock: () => now });
  let a: TestServer;
  let b: TestServer;
  let commanderA: string;
  let commanderB: string;
  beforeAll(async () => {
    [a, b] = env.servers as [TestServer, TestServer];
    commanderA = await login(a.url, 'commander');
    commanderB = await login(b.url, 'commander');
    // As each process's report timer does when it starts: the seeded sites are taken as the evening's.
    await a.app.reports.rollOver(now);
  });
  const patch = (srv: TestServer, token: string, path: string, body: object) =>
    fetch(`${srv.url}${path}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const indicators = async (srv: TestServer, token: string) =>
    ((await (await fetch(`${srv.url}/api/indicators`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { sampling: { samplesToday: number } } }).data;

  it('counts the evening as the evening’s day, and starts again after midnight', async () => {
    const { collections } = await a.store.snapshot();
    const [hotel, otherHotel] = Object.values(collections.hotels);
    const [point, otherPoint] = Object.values(collections.samplingPoints);
    expect(hotel && otherHotel && point && otherPoint).toBeTruthy();

    // 23:58 on the 1st: check-ins and samples through both processes.
    expect((await patch(a, commanderA, `/api/hotels/${hotel!.id}`, { checkInsToday: 7, checkOutsToday: 2 })).status).toBe(200);
    expect((await patch(b, commanderB, `/api/sampling-points/${point!.id}`, { samplesToday: 4321 })).status).toBe(200);
    expect(await a.store.get('hotels', hotel!.id)).toMatchObject({ checkInsToday: 7, countsDay: '2026-12-01' });
    const eveningSamples = (await indicators(a, commanderA)).sampling.samplesToday;
    expect(eveningSamples).toBeGreaterThanOrEqual(4321);

    // 00:00:20 on the 2nd: a write through either process starts that site's day afresh.
    now = AFTER_MIDNIGHT;
    expect((await patch(b, commanderB, `/api/hotels/${hotel!.id}`, { people: hotel!.people + 1 })).status).toBe(200);
    expect(await a.store.get('hotels', hotel!.id)).toMatchObject({ checkInsToday: 0, checkOutsToday: 0, countsDay: '2026-12-02', people: hotel!.people + 1 });

    // Both processes tick at the same moment: every other site moves to the new day once.
    const sitesBehind = Object.keys(collections.hotels).length - 1 + Object.keys(collections.samplingPoints).length;
    const moved = await Promise.all([a.app.reports.rollOver(now), b.app.reports.rollOver(now)]);
    expect(moved[0] + moved[1]).toBe(sitesBehind);
    const after = (await a.store.snapshot()).collections;
    for (const p of Object.values(after.samplingPoints)) expect(p, p.id).toMatchObject({ samplesToday: 0, countsDay: '2026-12-02' });
    for (const h of Object.values(after.hotels)) expect(h, h.id).toMatchObject({ checkInsToday: 0, checkOutsToday: 0, countsDay: '2026-12-02' });
    // The sites' own reports were not touched: only their day moved.
    expect(after.samplingPoints[otherPoint!.id]!.updatedAt).toBe(collections.samplingPoints[otherPoint!.id]!.updatedAt);
    expect(after.samplingPoints[otherPoint!.id]!.queue).toBe(collections.samplingPoints[otherPoint!.id]!.queue);
    // Ticking again moves nothing, in either process.
    expect(await a.app.reports.rollOver(now)).toBe(0);
    expect(await b.app.reports.rollOver(now + 60_000)).toBe(0);

    // The wall's figure for the new day: nothing from yesterday.
    expect((await indicators(b, commanderB)).sampling.samplesToday).toBe(0);
  });

  it('files the quiet new day as a 零报告', async () => {
    now = Date.UTC(2026, 11, 2, 9, 0, 0); // 17:00 on the 2nd
    const report = await a.app.reports.tick();
    expect(report).not.toBeNull();
    expect(report!.date).toBe('2026-12-02');
    expect(report!.zero).toBe(true);
    expect(report!.title).toContain('零报告');
  });
});
