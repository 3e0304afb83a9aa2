// Coverage and move-up through the API on a real Redis: two negative-pressure units
// dispatched from one town leave it uncovered; the suggestion moves an idle unit there
// and says by how much; accepting it writes the unit's move task (once: a second accept
// is refused), and coverage follows the unit as it drives to the point. The wall gets
// the county's figures only; an uncovered town raises its alert and clears it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoverageState } from '../../server/services/coverage.ts';
import type { StandbyPoint } from '../../server/domain/coverage.ts';
import type { Ambulance, LngLat, MoveTask } from '../../server/schema/index.ts';
import type { AuditEntry } from '../../server/plugins/audit.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const stableWithHistory = { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };
const SEAT: LngLat = [95.7905, 40.5235];
type Coverage = CoverageState & { points: StandbyPoint[]; thresholdsMin: number[]; targetMin: number };

describe('coverage and move-up API', () => {
  const env = useServer({ redis: true, config: { fixStaleMs: 3_600_000 } });
  let dispatcher = '';
  let wall = '';
  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data: T; error?: string; message?: string; suggestions?: unknown[] } };
  };
  const coverage = async () => (await call<Coverage>(dispatcher, 'GET', '/api/coverage')).body.data;
  const town = (c: Coverage, name: string) => c.figures.towns.find((t) => t.name === name)!;
  const place = async (id: string, at: LngLat, patch: Partial<Ambulance> = {}) => {
    const a = (await env.srv.store.get('ambulances', id))!;
    await env.srv.store.apply(
      [{ op: 'upsert', collection: 'ambulances', entity: { ...a, ...patch, fix: { lng: at[0], lat: at[1], at: Date.now(), speed: 0, heading: 0 }, updatedAt: Date.now() } }],
      Date.now(),
    );
  };

  beforeAll(async () => {
    dispatcher = await login(env.srv.url, 'dispatcher');
    wall = await login(env.srv.url, 'wall');
    // The negative-pressure units spread over the county: two in the seat (渊泉镇), one each in 西湖, 三道沟 and 柳园.
    const point = (name: string) => env.srv.app.coverage.points.find((p) => p.name === name)!.location;
    await place('NP03', point('西湖镇卫生院'));
    await place('NP04', point('三道沟镇中心卫生院'));
  });

  it('gives each grid its minutes to the nearest negative-pressure and ordinary unit, and the figures', async () => {
    const c = await coverage();
    expect(c.thresholdsMin).toEqual([15, 30, 60]);
    expect(c.router).toBe('graph');
    expect(c.grids).toHaveLength(env.srv.app.gridLayers.current.props.length);
    const seatGrid = env.srv.app.gridLayers.current.locator.locate(SEAT[0], SEAT[1])!.id;
    const g = c.grids.find((x) => x.id === seatGrid)!;
    expect(g.negativePressure).not.toBeNull();
    expect(g.negativePressure!).toBeLessThan(15);
    const shares = c.figures.within.map((w) => w.negativePressure);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(town(c, '渊泉镇').uncovered).toBe(false);
  });

  it('after two units are dispatched from one town, suggests the move that covers it again; accepting it gives the unit a move task', async () => {
    const before = await coverage();
    const seatShare = before.figures.within[0]!.negativePressure;
    // Two rule-1 calls in the seat: NP01 and NP02 (both at the county hospital) are sent.
    for (let i = 0; i < 2; i++) {
      const rec = await call<{ options: { ambulanceId: string }[] }>(dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } });
      const unit = rec.body.data.options[0]!.ambulanceId;
      expect(['NP01', 'NP02']).toContain(unit);
      const created = await call(dispatcher, 'POST', '/api/transfers', { call: stableWithHistory, pickup: { location: SEAT }, patient: `患者${i}`, ambulanceId: unit });
      expect(created.status).toBe(201);
    }
    const after = await coverage();
    expect(after.figures.within[0]!.negativePressure).toBeLessThan(seatShare);
    const seatGrid = env.srv.app.gridLayers.current.locator.locate(SEAT[0], SEAT[1])!.id;
    expect(after.grids.find((x) => x.id === seatGrid)!.negativePressure ?? Infinity).toBeGreaterThan(15);

    const [first] = after.suggestions;
    expect(first).toBeDefined();
    expect(['NP03', 'NP04', 'NP05']).toContain(first!.ambulanceId);
    const point = after.points.find((p) => p.id === first!.pointId)!;
    expect(env.srv.app.gridLayers.current.locator.locate(point.location[0], point.location[1])!.townName).toBe('渊泉镇');
    expect(first!.after).toBeGreaterThan(first!.before);
    expect(first!.before).toBeCloseTo(after.figures.within.find((w) => w.minutes === after.targetMin)!.negativePressure, 9);
    expect(first!.words.zh).toMatch(new RegExp(`^调 ${first!.callSign} 至 ${point.name} 待命，负压覆盖人口（30分钟）由 \\d+% 升至 \\d+%$`));
    expect(first!.words.en).toMatch(/^Move .+ on standby: negative-pressure coverage \(30 min\) rises from \d+% to \d+% of the population$/);

    // Accepted: the unit's move task, in the store and the audit log.
    const accepted = await call<MoveTask>(dispatcher, 'POST', '/api/coverage/moves', { ambulanceId: first!.ambulanceId, pointId: first!.pointId });
    expect(accepted.status).toBe(201);
    expect(accepted.body.data).toMatchObject({
      kind: 'move',
      ambulanceId: first!.ambulanceId,
      pointId: point.id,
      status: 'en-route',
      coverageBefore: first!.before,
      coverageAfter: first!.after,
      createdBy: 'dispatcher',
    });
    expect(await env.srv.store.get('moveTasks', accepted.body.data.id)).toEqual(accepted.body.data);
    const audit = (await env.srv.store.auditPage(20)).map((e) => JSON.parse(e.json) as AuditEntry).find((e) => e.route === '/api/coverage/moves');
    expect(audit).toMatchObject({ user: 'dispatcher', subject: { collection: 'moveTasks', id: accepted.body.data.id } });
    // The unit stays available for calls on the way.
    expect((await env.srv.store.get('ambulances', first!.ambulanceId))!).toMatchObject({ status: 'available', taskId: null });

    // Compare-and-set: accepted once; again, it is refused with the suggestions as they stand now (this move is no longer among them).
    const again = await call(dispatcher, 'POST', '/api/coverage/moves', { ambulanceId: first!.ambulanceId, pointId: first!.pointId });
    expect(again.status).toBe(409);
    const fresh = (again.body.suggestions ?? []) as { ambulanceId: string }[];
    expect(fresh.map((s) => s.ambulanceId)).not.toContain(first!.ambulanceId);

    // Coverage follows the unit: at the point, the seat is covered again, as the suggestion said.
    await place(first!.ambulanceId, point.location);
    const there = await coverage();
    expect(there.grids.find((x) => x.id === seatGrid)!.negativePressure!).toBeLessThan(15);
    expect(there.figures.within.find((w) => w.minutes === there.targetMin)!.negativePressure).toBeCloseTo(first!.after, 9);
    await env.srv.app.coverage.followMoves();
    expect((await env.srv.store.get('moveTasks', accepted.body.data.id))!.status).toBe('arrived');
    expect((await call(dispatcher, 'POST', `/api/coverage/moves/${accepted.body.data.id}/end`, { status: 'cancelled' })).status).toBe(409);
  });

  it('refuses a move that is not suggested, to a point that does not exist, and to roles without the right', async () => {
    expect((await call(dispatcher, 'POST', '/api/coverage/moves', { ambulanceId: 'NP05', pointId: 'ST-99' })).status).toBe(404);
    expect((await call(dispatcher, 'POST', '/api/coverage/moves', { ambulanceId: 'AMB01', pointId: 'ST-01' })).status).toBe(409);
    expect((await call(wall, 'POST', '/api/coverage/moves', { ambulanceId: 'NP05', pointId: 'ST-01' })).status).toBe(403);
    expect((await call(wall, 'GET', '/api/coverage')).status).toBe(403);
    // An admin reads the coverage (the console it opens shows it) but moves nothing.
    const admin = await login(env.srv.url, 'admin');
    expect((await call(admin, 'GET', '/api/coverage')).status).toBe(200);
    expect((await call(admin, 'POST', '/api/coverage/moves', { ambulanceId: 'NP05', pointId: 'ST-01' })).status).toBe(403);
  });

  it('gives the wall the county’s figures only', async () => {
    const res = await call<Record<string, unknown>>(wall, 'GET', '/api/coverage/summary');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['at', 'population', 'thresholdsMin', 'uncoveredTowns', 'within']);
    expect(JSON.stringify(res.body.data)).not.toMatch(/NP0|AMB|ST-/);
  });

  it('raises a coverage-gap alert for each town out of coverage, and clears it when units are back', async () => {
    const units = Object.values((await env.srv.store.snapshot()).collections.ambulances).filter((a) => a.kind === 'negative-pressure' && a.status === 'available');
    await env.srv.store.apply(
      units.map((a) => ({ op: 'upsert' as const, collection: 'ambulances' as const, entity: { ...a, status: 'offline' as const, updatedAt: Date.now() } })),
      Date.now(),
    );
    const out = await coverage();
    expect(out.figures.uncoveredTowns.length).toBe(out.figures.towns.length);
    const { raised } = await env.srv.app.alerts.evaluate();
    const alerts = Object.values((await env.srv.store.snapshot()).collections.alerts).filter((a) => a.kind === 'coverage-gap' && a.status === 'open');
    expect(alerts.map((a) => a.town).sort()).toEqual([...out.figures.uncoveredTowns].sort());
    expect(alerts.every((a) => raised.includes(a.id))).toBe(true);
    await env.srv.store.apply(
      units.map((a) => ({ op: 'upsert' as const, collection: 'ambulances' as const, entity: { ...a, fix: { ...a.fix!, at: Date.now() }, updatedAt: Date.now() } })),
      Date.now(),
    );
    const { resolved } = await env.srv.app.alerts.evaluate();
    const back = await coverage();
    const still = Object.values((await env.srv.store.snapshot()).collections.alerts).filter((a) => a.kind === 'coverage-gap' && a.status === 'open');
    expect(still.map((a) => a.town).sort()).toEqual([...back.figures.uncoveredTowns].sort());
    expect(
      alerts
        .filter((a) => resolved.includes(a.id))
        .map((a) => a.town)
        .sort(),
    ).toEqual(
      alerts
        .map((a) => a.town)
        .filter((t) => !still.some((x) => x.town === t))
        .sort(),
    );
    expect(still.length).toBeLessThan(alerts.length);
  });
});
