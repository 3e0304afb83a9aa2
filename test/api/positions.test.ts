// POST /api/ambulances/positions: many fixes in one request and one atomic write; each
// judged by the position filter, the newest accepted fix of each unit kept, refusals
// reported one by one.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { stickyGridId } from '../../server/geo/sticky-grid.ts';

describe('batch position ingest (Redis)', () => {
  const now = Date.now();
  // The server's clock moves on after seeding, so the fixes below (at most now + 40 s) are not from its future.
  let ahead = 0;
  const env = useServer({ redis: true, clock: () => now + ahead });
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  const post = async (token: string, body: unknown) => {
    const res = await fetch(`${srv.url}/api/ambulances/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { accepted: number; refused: { index: number; id: string; reason: string }[]; seq: number } };
  };

  it('writes the newest good fix of every unit under one seq and says which fixes it refused', async () => {
    const token = await login(srv.url, 'dispatcher');
    ahead = 40_000;
    const seq = await srv.store.seq();
    const before = (await srv.store.get('ambulances', 'NP01'))!;
    const np1 = before.fix!;
    const res = await post(token, {
      fixes: [
        { id: 'NP01', lng: np1.lng + 0.001, lat: np1.lat, at: now + 30_000, speed: 30, heading: 90 },
        { id: 'NP01', lng: np1.lng + 0.002, lat: np1.lat, at: now + 40_000, speed: 30, heading: 90 },
        { id: 'NP02', lng: 96.8, lat: 40.6, at: now + 1000 }, // 90 km in a second: a jump
        { id: 'AMB01', lng: 95.79, lat: 40.52, at: now - 2 * 86_400_000 }, // two days old
        { id: 'NOPE', lng: 95.79, lat: 40.52 },
        { id: 'AMB02', lng: 0, lat: 0 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.refused).toEqual([
      { index: 2, id: 'NP02', reason: 'jump' },
      { index: 3, id: 'AMB01', reason: 'too-old' },
      { index: 4, id: 'NOPE', reason: 'not-found' },
      { index: 5, id: 'AMB02', reason: 'zero' },
    ]);
    expect(res.body.seq).toBe(seq + 1);
    expect(await srv.store.seq()).toBe(seq + 1);
    const unit = (await srv.store.get('ambulances', 'NP01'))!;
    expect(unit.fix).toMatchObject({ lng: np1.lng + 0.002, at: now + 40_000 });
    // Its grid: where the fix lies, unless that is within the edge margin of the grid it was in (no flapping).
    expect(unit.gridId).toBe(stickyGridId(srv.app.county.locator, before.gridId, np1.lng + 0.002, np1.lat, srv.app.config.gridEdgeMarginMeters));
  });

  it('does not let a fix from the future hold a unit, on the batch and the single route: refused, and the next genuine fix moves it', async () => {
    const token = await login(srv.url, 'dispatcher');
    const t = now + ahead;
    const np3 = (await srv.store.get('ambulances', 'NP03'))!.fix!;
    const single = (body: unknown) =>
      fetch(`${srv.url}/api/ambulances/NP03/position`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const ahead of [50_000, 3_600_000]) {
      const res = await post(token, { fixes: [{ id: 'NP03', lng: np3.lng, lat: np3.lat + 0.001, at: t + ahead }] });
      expect(res.body.refused).toEqual([{ index: 0, id: 'NP03', reason: 'future' }]);
      const one = await single({ lng: np3.lng, lat: np3.lat + 0.001, at: t + ahead });
      expect(one.status).toBe(400);
      expect(await one.json()).toMatchObject({ error: 'invalid', message: expect.stringContaining('future') });
    }
    const genuine = await single({ lng: np3.lng, lat: np3.lat + 0.0001, at: t });
    expect(genuine.status).toBe(200);
    expect((await srv.store.get('ambulances', 'NP03'))?.fix).toMatchObject({ lat: np3.lat + 0.0001, at: t });
  });

  it('refuses roles without the right and malformed batches', async () => {
    expect((await post(await login(srv.url, 'field'), { fixes: [{ id: 'NP01', lng: 95, lat: 40 }] })).status).toBe(403);
    const token = await login(srv.url, 'dispatcher');
    expect((await post(token, { fixes: [] })).status).toBe(400);
    expect((await post(token, { fixes: [{ id: 'NP01', lng: 200, lat: 40 }] })).status).toBe(400);
  });
});

describe('the ingest rate limit', () => {
  const env = useServer({ config: { ingestRateLimit: 3 } });
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  it('answers 429 in Chinese once a client passes INGEST_RATE_LIMIT requests a minute, per client', async () => {
    const send = (token: string) =>
      fetch(`${srv.url}/api/ambulances/positions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fixes: [{ id: 'NP01', lng: 95.78, lat: 40.52 }] }),
      });
    const first = await login(srv.url, 'dispatcher');
    for (let i = 0; i < 3; i++) expect((await send(first)).status).toBe(200);
    const limited = await send(first);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { message: string }).message).toMatch(/上报过于频繁/);
    // Another client (another session) has its own allowance.
    expect((await send(await login(srv.url, 'dispatcher'))).status).toBe(200);
  });
});
