// The REST API through a listening server on the production store (a real redis-server).
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const env = useServer({ redis: true, roles: ['admin', 'commander', 'dispatcher', 'field', 'wall'] });
const { tokens } = env;
let server: TestServer;
beforeAll(() => {
  server = env.srv;
});

async function api(path: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.as) headers.authorization = `Bearer ${tokens[init.as]}`;
  if (init.body) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, { ...init, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

/** A sampling point of the demo field lead's own (they may change no other). */
async function firstPoint() {
  const snap = (await api('/api/snapshot', { as: 'field' })).body;
  const own = (await server.store.getUser('field'))?.samplingPoints ?? [];
  return snap.collections.samplingPoints[own[0]!] as { id: string; queue: number; status: string };
}

describe('health and sign-in', () => {
  it('health is open and names the store', async () => {
    const res = await api('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: { kind: 'redis', reachable: true } });
  });

  it('everything else needs a token', async () => {
    for (const path of ['/api/snapshot', '/api/grids', '/api/county', '/api/grids/locate?lng=95.78&lat=40.52', '/api/auth/me']) {
      const res = await api(path);
      expect(res.status, path).toBe(401);
    }
    const bad = await fetch(`${server.url}/api/snapshot`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
  });

  it('refuses a wrong password and a malformed body', async () => {
    const wrong = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'nope' }) });
    expect(wrong.status).toBe(401);
    const malformed = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'admin' }) });
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues.length).toBeGreaterThan(0);
  });

  it('me returns the role; logout ends the session', async () => {
    expect((await api('/api/auth/me', { as: 'dispatcher' })).body).toMatchObject({ username: 'dispatcher', role: 'dispatcher' });
    const token = await login(server.url, 'wall');
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers })).status).toBe(204);
    expect((await fetch(`${server.url}/api/auth/me`, { headers })).status).toBe(401);
  });
});

describe('grids and containment', () => {
  it('serves the 689 grids compressed, with an etag that revalidates', async () => {
    const res = await fetch(`${server.url}/api/grids`, {
      headers: { authorization: `Bearer ${tokens.wall}`, 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const fc = (await res.json()) as { features: unknown[] };
    expect(fc.features).toHaveLength(689);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${server.url}/api/grids`, {
      headers: { authorization: `Bearer ${tokens.wall}`, 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('caches the grids of the version client-config names for good, and revalidates any other', async () => {
    const auth = { authorization: `Bearer ${tokens.wall}` };
    const config = (await (await fetch(`${server.url}/api/client-config`, { headers: auth })).json()) as { gridsVersion: string };
    const current = await fetch(`${server.url}/api/grids?v=${encodeURIComponent(config.gridsVersion)}`, { headers: auth });
    expect(current.status).toBe(200);
    expect(current.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    // The wall's grids (no leads' names) have an ETag of their own, of the same version.
    expect(current.headers.get('etag')).toBe(`"${config.gridsVersion}.public"`);
    expect(((await current.json()) as { features: unknown[] }).features).toHaveLength(689);
    const old = await fetch(`${server.url}/api/grids?v=an-older-version`, { headers: auth });
    expect(old.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('locates a point in the county seat, 404 outside, 400 for bad input', async () => {
    const inside = await api('/api/grids/locate?lng=95.78&lat=40.52', { as: 'field' });
    expect(inside.status).toBe(200);
    expect(inside.body).toMatchObject({ townName: '渊泉镇' });
    expect(inside.body.id).toMatch(/\S/);
    expect((await api('/api/grids/locate?lng=100&lat=30', { as: 'field' })).status).toBe(404);
    for (const q of ['', '?lng=95.78', '?lng=abc&lat=40', '?lng=&lat=40.5', '?lng=95&lat=100']) {
      expect((await api(`/api/grids/locate${q}`, { as: 'field' })).status, q).toBe(400);
    }
  });

  it('lists a grid’s neighbours', async () => {
    const inside = await api('/api/grids/locate?lng=95.78&lat=40.52', { as: 'field' });
    const res = await api(`/api/grids/${inside.body.id}/neighbours`, { as: 'field' });
    expect(res.status).toBe(200);
    expect(res.body.neighbours.length).toBeGreaterThan(1);
    expect((await api('/api/grids/nope/neighbours', { as: 'field' })).status).toBe(404);
  });
});

describe('updates', () => {
  it('a field lead updates a queue; the snapshot shows it under a new seq', async () => {
    const point = await firstPoint();
    const before = (await api('/api/snapshot', { as: 'field' })).body.seq;
    const res = await api(`/api/sampling-points/${point.id}`, {
      method: 'PATCH',
      as: 'field',
      body: JSON.stringify({ queue: point.queue + 7, status: 'open' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.queue).toBe(point.queue + 7);
    expect(res.body.seq).toBeGreaterThan(before);
    const after = (await api('/api/snapshot', { as: 'field' })).body;
    expect(after.collections.samplingPoints[point.id].queue).toBe(point.queue + 7);
  });

  it('bad bodies get 400 with the problems, and nothing is written', async () => {
    const point = await firstPoint();
    const seq = (await api('/api/health')).body.seq;
    const bodies = [{ queue: -1 }, { queue: 'many' }, { status: 'exploded' }, {}, { queue: 3, secret: true }];
    for (const body of bodies) {
      const res = await api(`/api/sampling-points/${point.id}`, { method: 'PATCH', as: 'field', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.issues.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    const notJson = await fetch(`${server.url}/api/sampling-points/${point.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${tokens.field}`, 'content-type': 'application/json' },
      body: '{"queue": ',
    });
    expect(notJson.status).toBe(400);
    expect((await api('/api/health')).body.seq).toBe(seq);
    expect((await firstPoint()).queue).toBe(point.queue);
  });

  it('hotel rooms that do not add up are refused', async () => {
    const snap = (await api('/api/snapshot', { as: 'admin' })).body;
    const hotel = Object.values(snap.collections.hotels)[0] as { id: string; rooms: { total: number } };
    const res = await api(`/api/hotels/${hotel.id}`, {
      method: 'PATCH',
      as: 'commander',
      body: JSON.stringify({ rooms: { total: 10, occupied: 8, cleaning: 5 } }),
    });
    expect(res.status).toBe(400);
    const ok = await api(`/api/hotels/${hotel.id}`, { method: 'PATCH', as: 'commander', body: JSON.stringify({ people: 12 }) });
    expect(ok.status).toBe(200);
    expect(ok.body.data.people).toBe(12);
  });

  it('hospital beds merge by type', async () => {
    const snap = (await api('/api/snapshot', { as: 'admin' })).body;
    const hospital = Object.values(snap.collections.hospitals).find((h: any) => h.role === 'designated') as any;
    const res = await api(`/api/hospitals/${hospital.id}`, {
      method: 'PATCH',
      as: 'dispatcher',
      body: JSON.stringify({ beds: { icu: { total: hospital.beds.icu.total, occupied: 1 } } }),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.beds.icu.occupied).toBe(1);
    expect(res.body.data.beds.treatment).toEqual(hospital.beds.treatment);
  });

  it('an ambulance position is stamped with its grid; an older fix is a conflict', async () => {
    const snap = (await api('/api/snapshot', { as: 'dispatcher' })).body;
    const amb = Object.values(snap.collections.ambulances)[0] as any;
    const at = Date.now() + 1000;
    const res = await api(`/api/ambulances/${amb.id}/position`, {
      method: 'POST',
      as: 'dispatcher',
      body: JSON.stringify({ lng: 95.78, lat: 40.52, at, speed: 40, heading: 90 }),
    });
    expect(res.status).toBe(200);
    const grid = (await api('/api/grids/locate?lng=95.78&lat=40.52', { as: 'dispatcher' })).body;
    expect(res.body.data.gridId).toBe(grid.id);
    expect(res.body.data.fix).toMatchObject({ lng: 95.78, lat: 40.52, at, speed: 40, heading: 90 });
    const old = await api(`/api/ambulances/${amb.id}/position`, {
      method: 'POST',
      as: 'dispatcher',
      body: JSON.stringify({ lng: 95.7, lat: 40.5, at: at - 60_000 }),
    });
    expect(old.status).toBe(409);
    const out = await api(`/api/ambulances/${amb.id}/position`, {
      method: 'POST',
      as: 'dispatcher',
      body: JSON.stringify({ lng: 200, lat: 40.5 }),
    });
    expect(out.status).toBe(400);
  });

  it('unknown ids get 404; roles without the right get 403', async () => {
    expect((await api('/api/sampling-points/nope', { method: 'PATCH', as: 'commander', body: '{"queue":1}' })).status).toBe(404);
    // A field lead is told only that it is not theirs.
    expect((await api('/api/sampling-points/nope', { method: 'PATCH', as: 'field', body: '{"queue":1}' })).status).toBe(403);
    const point = await firstPoint();
    expect((await api(`/api/sampling-points/${point.id}`, { method: 'PATCH', as: 'wall', body: '{"queue":1}' })).status).toBe(403);
    expect((await api(`/api/hotels/x`, { method: 'PATCH', as: 'field', body: '{"people":1}' })).status).toBe(403);
  });
});
