// Dispatch through the API on the real app: the recommendation for a call, the
// fallback when no unit of the required kind may go, the destination by the hospital
// tiers, a transfer task from call to terminal disinfection, and two dispatchers
// racing for one unit on a real Redis.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ambulance, Hospital, Recommendation, TransferTask } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const SEAT: [number, number] = [95.7905, 40.5235];
const stableWithHistory = { symptoms: true, history: { travel: true, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };
const feverNoHistory = { symptoms: true, history: { travel: false, residence: false, contact: false, exposure: false }, condition: 'unknown', facilityTransfer: false };

async function call<T = unknown>(srv: TestServer, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T & { data: never; error?: string; message?: string; details?: unknown; recommendation?: Recommendation } };
}

async function setUnits(srv: TestServer, change: (a: Ambulance) => Ambulance | null) {
  const all = Object.values((await srv.store.snapshot()).collections.ambulances);
  const changes = all.flatMap((a) => {
    const next = change(a);
    return next ? [{ op: 'upsert' as const, collection: 'ambulances' as const, entity: next }] : [];
  });
  if (changes.length) await srv.store.apply(changes, Date.now());
}

describe('dispatch API', () => {
  let now = Date.now();
  const env = useServer({ clock: () => now, config: { fixStaleMs: 120_000, minDisinfectionMs: 30 * 60_000 }, roles: ['dispatcher'] });
  let srv: TestServer;
  let dispatcher: string;

  beforeAll(() => {
    srv = env.srv;
    dispatcher = env.tokens.dispatcher!;
  });

  it('recommends negative-pressure units by road ETA for rule 1, with routes and the designated hospital', async () => {
    const res = await call<{ data: Recommendation }>(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } });
    expect(res.status).toBe(200);
    const rec = res.body.data as Recommendation;
    expect(rec.decision.rule).toBe(1);
    expect(rec.decision.reason.zh).toMatch(/规则1.*旅居史、接触史/);
    expect(rec.pickup.gridId).toMatch(/.+/);
    expect(rec.pickup.townName).toBe('渊泉镇');
    expect(rec.options.length).toBeGreaterThan(0);
    expect(rec.options.every((o) => o.kind === 'negative-pressure')).toBe(true);
    const etas = rec.options.map((o) => o.etaSeconds);
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
    expect(rec.options[0]!.route!.length).toBeGreaterThanOrEqual(2);
    expect(rec.options[0]!.route!.at(-1)).toEqual(SEAT);
    expect(rec.fallback).toBeNull();
    expect(rec.destination?.hospitalId).toBe('HOSP-DESIGNATED');
    expect(rec.router).toBe('graph');
  });

  it('sends fever without history to the nearest fever clinic or hospital with an ordinary unit', async () => {
    const res = await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: feverNoHistory, pickup: { location: [95.45, 41.1] } });
    const rec = res.body.data as Recommendation;
    expect(rec.decision).toMatchObject({ rule: 2, crew: 'ordinary-enhanced', destination: 'fever-clinic' });
    expect(rec.options.every((o) => o.kind === 'ordinary')).toBe(true);
    expect(rec.destination?.hospitalId).toBe('FC-LIUYUAN'); // Liuyuan's own clinic, in the north
  });

  it('never silently sends another kind: with no negative-pressure unit free it says so and offers the fallback', async () => {
    const snapshot = await srv.store.snapshot();
    const np = Object.values(snapshot.collections.ambulances).filter((a) => a.kind === 'negative-pressure');
    await setUnits(srv, (a) => {
      if (a.kind !== 'negative-pressure') return null;
      const i = np.findIndex((x) => x.id === a.id);
      if (i === 0) return { ...a, status: 'disinfecting' };
      if (i === 1) return { ...a, status: 'offline' };
      if (i === 2) return { ...a, fix: { ...a.fix!, at: now - 121_000 } }; // stale fix
      return { ...a, status: 'dispatched' };
    });
    const rec = (await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } })).body.data as Recommendation;
    expect(rec.options).toEqual([]);
    expect(rec.excluded).toEqual({ busy: np.length - 3, disinfecting: 1, offline: 1, staleFix: 1 });
    expect(rec.fallback?.reason.zh).toMatch(/无可派的负压救护车.*1辆洗消中.*1辆离线.*1辆定位过期.*普通救护车/);
    expect(rec.fallback!.options.length).toBeGreaterThan(0);
    expect(rec.fallback!.options.every((o) => o.kind === 'ordinary')).toBe(true);
    // Put the fleet back.
    await setUnits(srv, (a) => (a.kind === 'negative-pressure' ? { ...a, status: 'available', fix: { ...a.fix!, at: now } } : null));
  });

  it('proposes the reserve hospital when the designated one is at its threshold', async () => {
    const designated = (await srv.store.get('hospitals', 'HOSP-DESIGNATED')) as Hospital;
    const half = Math.ceil(designated.maxCapacity / 2);
    const beds = {
      ...designated.beds,
      treatment: { total: designated.beds.treatment.total, occupied: half },
      icu: { ...designated.beds.icu, occupied: 0 },
      isolation: { ...designated.beds.isolation, occupied: 0 },
    };
    await srv.store.apply([{ op: 'upsert', collection: 'hospitals', entity: { ...designated, beds } }], now);
    const rec = (await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } })).body.data as Recommendation;
    expect(rec.destination?.hospitalId).toBe('HOSP-RESERVE');
    expect(rec.destination?.reason.zh).toMatch(/已达50%启用阈值.*后备定点医院/);
    await srv.store.apply([{ op: 'upsert', collection: 'hospitals', entity: designated }], now);
  });

  it('runs a transfer task from the call to terminal disinfection, refusing illegal steps with the allowed ones', async () => {
    const created = await call(srv, dispatcher, 'POST', '/api/transfers', {
      call: stableWithHistory,
      pickup: { location: SEAT },
      address: '渊泉镇某小区3号楼',
      ambulanceId: 'NP01',
    });
    expect(created.status).toBe(201);
    let task = created.body.data as TransferTask;
    expect(task).toMatchObject({ status: 'assigned', ambulanceId: 'NP01', rule: 1, highRisk: true, destinationId: 'HOSP-DESIGNATED', crossDistrict: false });
    expect(await srv.store.get('ambulances', 'NP01')).toMatchObject({ status: 'dispatched', taskId: task.id });

    const stepTo = async (to: string, extra: Record<string, unknown> = {}) => call(srv, dispatcher, 'POST', `/api/transfers/${task.id}/steps`, { to, ...extra });
    const illegal = await stepTo('transporting');
    expect(illegal.status).toBe(409);
    expect(illegal.body.details).toEqual({ reason: 'illegal', allowed: ['en-route', 'cancelled'] });

    for (const to of ['en-route', 'on-scene', 'transporting']) expect((await stepTo(to)).status).toBe(200);
    const handover = await stepTo('handed-over', { handover: { sendingSide: '现场（居家）', receivedBy: '定点医院急诊 赵医生' } });
    task = handover.body.data as TransferTask;
    expect(task.handover).toMatchObject({ receivingHospitalId: 'HOSP-DESIGNATED', receivedBy: '定点医院急诊 赵医生' });
    expect((await stepTo('disinfecting')).status).toBe(400); // where?
    expect((await stepTo('disinfecting', { decontaminationPointId: 'NOWHERE' })).status).toBe(400);
    expect((await stepTo('disinfecting', { decontaminationPointId: 'DECON-SEAT' })).status).toBe(200);
    expect((await srv.store.get('ambulances', 'NP01'))?.status).toBe('disinfecting');

    // The unit may not be recommended while it disinfects, nor closed too early.
    const rec = (await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } })).body.data as Recommendation;
    expect(rec.options.map((o) => o.ambulanceId)).not.toContain('NP01');
    now += 29 * 60_000;
    const early = await stepTo('closed');
    expect(early.status).toBe(409);
    expect(early.body.details).toMatchObject({ reason: 'disinfection-too-short' });
    now += 60_000;
    const closed = await stepTo('closed');
    expect(closed.status).toBe(200);
    task = closed.body.data as TransferTask;
    expect(task.steps.map((s) => s.to)).toEqual(['created', 'assigned', 'en-route', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'closed']);
    expect(task.steps.every((s) => s.by === 'dispatcher')).toBe(true);
    expect(await srv.store.get('ambulances', 'NP01')).toMatchObject({ status: 'available', taskId: null });
  });

  it('lets only dispatchers write tasks and only dispatchers and commanders ask for recommendations', async () => {
    const field = await login(srv.url, 'field');
    const commander = await login(srv.url, 'commander');
    const body = { call: stableWithHistory, pickup: { location: SEAT } };
    expect((await call(srv, field, 'POST', '/api/dispatch/recommend', body)).status).toBe(403);
    expect((await call(srv, commander, 'POST', '/api/dispatch/recommend', body)).status).toBe(200);
    expect((await call(srv, commander, 'POST', '/api/transfers', body)).status).toBe(403);
  });

  it('finds places by Chinese name and by pinyin initials or syllables', async () => {
    type Entry = { kind: string; name: string; townName: string; point: [number, number] };
    const search = async (q: string) => (await call<{ data: Entry[] }>(srv, dispatcher, 'GET', `/api/gazetteer?q=${encodeURIComponent(q)}`)).body.data as Entry[];
    expect((await search('yqz'))[0]).toMatchObject({ kind: 'town', name: '渊泉镇' });
    expect((await search('渊泉'))[0]).toMatchObject({ kind: 'town', name: '渊泉镇' });
    expect((await search('yuanquan'))[0]).toMatchObject({ kind: 'town', name: '渊泉镇' });
    const shule = await search('疏勒');
    expect(shule[0]).toMatchObject({ kind: 'village', name: '疏勒社区居委会', townName: '渊泉镇' });
    expect(shule.some((e) => e.kind === 'grid' && e.name === '疏勒社区第1网格')).toBe(true);
    expect((await search('slsqd1wg'))[0]).toMatchObject({ kind: 'grid', name: '疏勒社区第1网格' });
    // Every place's point lies inside the county (towns at their approximate centres).
    for (const e of shule) expect(srv.app.county.locator.locate(...e.point)).not.toBeNull();
    expect(await search('qqqqzzzz')).toEqual([]);
    expect((await call(srv, dispatcher, 'GET', '/api/gazetteer?q=')).status).toBe(400);
  });

  it('stamps a grid picked from the gazetteer and refuses bad input with a clear 400', async () => {
    const grids = srv.app.county.locator.ids;
    const rec = (await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { gridId: grids[100] } })).body.data as Recommendation;
    expect(rec.pickup.gridId).toBe(grids[100]);
    expect(srv.app.county.locator.locate(...rec.pickup.location)?.id).toBe(grids[100]);
    expect((await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: stableWithHistory, pickup: { gridId: 'NOPE' } })).status).toBe(404);
    const bad = await call(srv, dispatcher, 'POST', '/api/dispatch/recommend', { call: { ...stableWithHistory, condition: 'fine' }, pickup: { location: SEAT } });
    expect(bad.status).toBe(400);
  });
});

describe('two dispatchers assigning one unit at the same moment (real Redis)', () => {
  const env = useServer({ redis: true });
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  it('exactly one wins; every other gets 409 and a fresh recommendation without the unit', async () => {
    const token = await login(srv.url, 'dispatcher');
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(srv, token, 'POST', '/api/transfers', { call: stableWithHistory, pickup: { location: SEAT }, address: `call ${i}`, ambulanceId: 'NP02' }),
      ),
    );
    const won = attempts.filter((a) => a.status === 201);
    const lost = attempts.filter((a) => a.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const l of lost) {
      expect(l.body.details).toMatchObject({ reason: 'unit-unavailable', unitStatus: 'dispatched' });
      expect(l.body.recommendation?.options.map((o) => o.ambulanceId)).not.toContain('NP02');
    }
    const unit = await srv.store.get('ambulances', 'NP02');
    expect(unit?.taskId).toBe((won[0]!.body.data as TransferTask).id);
    const tasks = Object.values((await srv.store.snapshot()).collections.transfers);
    expect(tasks.filter((t) => t.ambulanceId === 'NP02')).toHaveLength(1);
  });
});
