// Arrivals through the API on a listening server and a real Redis: a unit on a task posts
// its fixes (jittering by the pickup), the board proposes 到达现场 with the time of arrival,
// the proposal reaches a live socket as the console holds it, and the dispatcher accepts it
// through the step route, compare-and-set: of two accepts at once one wins, the other is
// refused. Where the county records arrivals by itself (ARRIVAL_AUTO_RECORD), the hand-over
// at the hospital is recorded by the board and audited.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TransferTask } from '../../server/schema/index.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { LiveFollower } from '../helpers/live-follower.ts';
import type { TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

const PICKUP: [number, number] = [95.7905, 40.5235];
const call = { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };
const M_PER_DEG = 111_320;

async function request<T = TransferTask>(srv: TestServer, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data: T; error?: string; message?: string; details?: { reason?: string } } };
}

/** Fixes of a unit parked `metersNorth` of a place, ±15 m of noise, one a second from `start`. */
function jitterAt(place: [number, number], metersNorth: number, seconds: number, start: number, seed: number) {
  const random = mulberry32(seed);
  return Array.from({ length: seconds }, (_, s) => ({
    lng: place[0] + ((random() * 2 - 1) * 15) / (M_PER_DEG * Math.cos((place[1] * Math.PI) / 180)),
    lat: place[1] + (metersNorth + (random() * 2 - 1) * 15) / M_PER_DEG,
    at: start + s * 1000,
    speed: 0,
    heading: 0,
  }));
}

describe('arrivals detected and proposed', () => {
  let now = Date.now() - 3_600_000;
  const env = useServer({ redis: true, clock: () => now, roles: ['dispatcher'] });
  let srv: TestServer;
  let dispatcher: string;
  const post = async (unitId: string, fix: { lng: number; lat: number; at: number; speed: number; heading: number }) => {
    now = Math.max(now, fix.at);
    const res = await request(srv, dispatcher, 'POST', `/api/ambulances/${unitId}/position`, fix);
    expect(res.status).toBe(200);
  };

  beforeAll(() => {
    srv = env.srv;
    dispatcher = env.tokens.dispatcher!;
  });

  it('proposes 到达现场 live once the unit stayed by the pickup, and one accept of two advances the task at the time of arrival', async () => {
    const created = await request(srv, dispatcher, 'POST', '/api/transfers', { call, pickup: { location: PICKUP }, ambulanceId: 'NP03' });
    expect(created.status).toBe(201);
    const task = created.body.data;
    expect((await request(srv, dispatcher, 'POST', `/api/transfers/${task.id}/steps`, { to: 'en-route' })).status).toBe(200);
    const console = new LiveFollower(srv.url, dispatcher);
    console.connect();
    await waitFor(() => console.collections?.transfers[task.id], 'the console holds the task');

    // Driving in from 1.2 km, then parked 60 m from the pickup for 45 s, jittering.
    const start = now + 1000;
    for (let k = 0; k < 6; k++) await post('NP03', { lng: PICKUP[0], lat: PICKUP[1] + (1200 - k * 200) / M_PER_DEG, at: start + k * 10_000, speed: 40, heading: 180 });
    const parked = jitterAt(PICKUP, 60, 45, start + 60_000, 3);
    for (const fix of parked) await post('NP03', fix);

    const seen = await waitFor(() => console.collections?.transfers[task.id]?.arrival?.arrivedAt ?? null, 'the proposal on the console');
    const live = console.collections!.transfers[task.id]!;
    expect(live.status).toBe('en-route');
    expect(live.arrival).toMatchObject({ status: 'en-route', place: 'pickup', proposes: 'on-scene' });
    // The time of arrival is the first fix within the radius (the 200 m fix is outside it).
    expect(seen).toBe(start + 60_000);
    console.disconnect();

    // Two dispatchers accept at once: one step, one refusal.
    const accept = { to: 'on-scene', from: 'en-route', arrival: true };
    const answers = await Promise.all([0, 1].map(() => request(srv, dispatcher, 'POST', `/api/transfers/${task.id}/steps`, accept)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(['changed', 'no-proposal']).toContain(refused.body.details?.reason);
    const stored = (await srv.store.get('transfers', task.id))!;
    expect(stored.status).toBe('on-scene');
    expect(stored.steps.filter((s) => s.to === 'on-scene')).toHaveLength(1);
    expect(stored.steps.at(-1)).toMatchObject({ to: 'on-scene', at: start + 60_000, by: 'dispatcher' });
    expect(stored.steps.at(-1)!.note).toMatch(/定位检测到达/);
    expect(stored.arrival ?? null).toBeNull();
    expect((await srv.store.get('ambulances', 'NP03'))!.status).toBe('on-scene');
    // Audit-logged like any step.
    const audit = (await srv.store.auditPage(20)).map((e) => JSON.parse(e.json) as { route: string; user: string; subject: { id: string } | null; status: number });
    expect(audit.filter((e) => e.route === '/api/transfers/:id/steps' && e.subject?.id === task.id && e.status === 200 && e.user === 'dispatcher')).toHaveLength(2);

    // Accepting again, with nothing proposed: refused, cleanly.
    const again = await request(srv, dispatcher, 'POST', `/api/transfers/${task.id}/steps`, { to: 'transporting', arrival: true });
    expect(again.status).toBe(409);
    expect(again.body.details?.reason).toBe('no-proposal');
  });
});

describe('arrivals recorded by the board (ARRIVAL_AUTO_RECORD)', () => {
  let now = Date.now() - 3_600_000;
  const env = useServer({ clock: () => now, config: { arrival: { fence: { enterMeters: 100, leaveMeters: 250, dwellMs: 20_000 }, autoRecord: true } }, roles: ['dispatcher'] });
  let srv: TestServer;
  let dispatcher: string;
  beforeAll(() => {
    srv = env.srv;
    dispatcher = env.tokens.dispatcher!;
  });

  it('records 已交接 at the hospital by itself, at the time of arrival, with an audit entry', async () => {
    const created = await request(srv, dispatcher, 'POST', '/api/transfers', { call, pickup: { location: PICKUP }, ambulanceId: 'NP03' });
    const task = created.body.data;
    for (const to of ['en-route', 'on-scene', 'transporting']) expect((await request(srv, dispatcher, 'POST', `/api/transfers/${task.id}/steps`, { to })).status).toBe(200);
    const hospital = (await srv.store.get('hospitals', task.destinationId!))!;
    const start = now + 1000;
    for (const fix of jitterAt(hospital.location, 30, 30, start, 5)) {
      now = fix.at;
      expect((await request(srv, dispatcher, 'POST', `/api/ambulances/NP03/position`, fix)).status).toBe(200);
    }
    const done = await waitFor(async () => {
      const t = await srv.store.get('transfers', task.id);
      return t?.status === 'handed-over' ? t : null;
    }, 'the hand-over recorded');
    expect(done.steps.at(-1)).toMatchObject({ to: 'handed-over', by: 'auto', at: start });
    expect(done.handover?.receivingHospitalId).toBe(hospital.id);
    await waitFor(async () => {
      const entries = (await srv.store.auditPage(20)).map((e) => JSON.parse(e.json) as { user: string; subject: { id: string } | null; body: { to?: string } });
      return entries.find((e) => e.user === 'auto' && e.subject?.id === task.id && e.body.to === 'handed-over') ?? null;
    }, 'the audit entry of the recorded step');
  });
});
