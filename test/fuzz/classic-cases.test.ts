// The classic hostile inputs, one example each (the fuzz suites generate the rest): oversized
// bodies, deep nesting, prototype-pollution keys, NaN and Infinity, coordinates outside the county,
// timestamps far in the future, unicode in names, and expired or tampered tokens. Every refusal is
// a clean 4xx that changes nothing (callAndCheck), and the server stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Action } from '../../server/auth/permissions.ts';
import type { Ambulance } from '../../server/schema/index.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { callAndCheck, ROLES, startFuzzServer, Tally, type Call, type FuzzServer } from './harness.ts';
import { connectLive } from '../helpers/live.ts';

const HAN = /\p{Script=Han}/u;

describe('classic hostile input', () => {
  let fz: FuzzServer;
  const tally = new Tally();
  beforeAll(async () => {
    fz = await startFuzzServer();
  });
  afterAll(async () => {
    await fz?.close();
  });

  /** A call signed in as a role allowed `may` (per the permission table); unsigned for null. */
  const call = (c: Omit<Call, 'token'> & { may: Action | null }) => {
    const role = c.may && ROLES.find((r) => can(r, c.may!));
    if (c.may && !role) throw new Error(`no role may ${c.may}`);
    return callAndCheck(fz, 'classic', { ...c, token: role ? fz.tokens[role] : null }, tally);
  };
  const unit = async (id = 'NP01') => (await fz.srv.store.get('ambulances', id)) as Ambulance;
  const hotelId = async () => Object.keys((await fz.srv.store.snapshot()).collections.hotels)[0]!;
  const up = async () => expect((await fetch(`${fz.srv.url}/api/health`)).status).toBe(200);

  it('refuses a body over the 1 MiB limit with 413', async () => {
    const id = await hotelId();
    const padding = 'x'.repeat(1024 * 1024);
    for (const body of [`{"people":1,"pad":"${padding}"}`, `[${'1,'.repeat(600_000)}1]`]) {
      const res = await call({ method: 'PATCH', path: `/api/hotels/${id}`, body, may: 'hotels:update' });
      expect(res.status).toBe(413);
    }
    // Over the limit on the ingest routes and the phones' /osmand too.
    expect(
      (
        await call({
          method: 'POST',
          path: '/api/ambulances/positions',
          may: 'ambulances:position',
          body: `{"fixes":[${'{"id":"NP01","lng":95.7,"lat":40.5},'.repeat(40_000)}{}]}`,
        })
      ).status,
    ).toBe(413);
    expect((await call({ method: 'POST', path: '/osmand', may: null, body: `{"device_id":"${padding}"}` })).status).toBe(413);
    await up();
  });

  it('answers a URL that cannot be decoded with 400 in the board’s words', async () => {
    const res = await fetch(`${fz.srv.url}/api/hotels/%zz`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad-request', message: expect.stringMatching(/请求地址有误/) });
    await up();
  });

  it('refuses JSON nested 10,000 and 100,000 levels deep with 400', async () => {
    const id = await hotelId();
    for (const depth of [10_000, 100_000]) {
      for (const body of ['['.repeat(depth) + ']'.repeat(depth), '{"staff":'.repeat(depth) + '1' + '}'.repeat(depth)]) {
        for (const [method, path] of [
          ['PATCH', `/api/hotels/${id}`],
          ['POST', '/api/transfers'],
          ['POST', '/osmand'],
        ] as const) {
          const res = await call({ method, path, body, may: path === '/api/transfers' ? 'transfers:write' : path === '/osmand' ? null : 'hotels:update' });
          expect(res.status, `${method} ${path} at depth ${depth}`).toBe(400);
        }
      }
    }
    await up();
  });

  it('lets no __proto__ or constructor.prototype key through, in bodies, queries, forms or socket events', async () => {
    const id = await hotelId();
    const bodies = [
      '{"__proto__":{"polluted":1}}',
      '{"people":1,"staff":{"__proto__":{"polluted":1},"doctors":1,"nurses":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"people":1,"rooms":{"constructor":{"prototype":{"polluted":1}},"total":1,"occupied":0,"cleaning":0}}',
    ];
    for (const body of bodies) expect((await call({ method: 'PATCH', path: `/api/hotels/${id}`, body, may: 'hotels:update' })).status).toBe(400);
    // Query strings and form bodies (/osmand reads both into one object).
    for (const query of ['__proto__[polluted]=1', '__proto__.polluted=1', 'constructor[prototype][polluted]=1', '__proto__=x&id=013900000001&lat=40.5&lon=95.7']) {
      expect(
        (
          await call({
            method: 'POST',
            path: `/osmand?${query}`,
            may: null,
            body: '__proto__[polluted]=1&constructor[prototype][polluted]=1',
            contentType: 'application/x-www-form-urlencoded',
          })
        ).status,
      ).toBeLessThan(500);
      expect((await call({ method: 'PATCH', path: `/api/hotels/${id}?${query}`, body: '{"people":2}', may: 'hotels:update' })).status).toBe(200);
    }
    // And on the live socket, as an event payload and in the handshake.
    const socket = connectLive(fz.srv.url, JSON.parse('{"token":"x","__proto__":{"polluted":1}}'));
    expect(await new Promise((resolve) => socket.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
    socket.close();
    const live = connectLive(fz.srv.url, { token: fz.tokens.wall });
    await new Promise((resolve) => live.once('snapshot', resolve));
    live.emit('subscribe', JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'));
    await new Promise((r) => setTimeout(r, 100));
    expect(live.connected).toBe(true);
    live.close();
    // The server runs in this process: its Object.prototype is ours.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    await up();
  });

  it('refuses NaN and Infinity coordinates on every position path, and keeps the last fix', async () => {
    const before = (await unit()).fix;
    const bad = [
      '{"lng":NaN,"lat":40.5}',
      '{"lng":1e999,"lat":40.5}',
      '{"lng":95.7,"lat":-1e999}',
      '{"lng":"NaN","lat":40.5}',
      '{"lng":"Infinity","lat":40.5}',
      '{"lng":null,"lat":40.5}',
      '{"lng":95.7,"lat":40.5,"speed":1e999}',
      '{"lng":95.7,"lat":40.5,"heading":"NaN"}',
    ];
    for (const body of bad) {
      expect((await call({ method: 'POST', path: '/api/ambulances/NP01/position', may: 'ambulances:position', body })).status, body).toBe(400);
      const batch = `{"fixes":[${body.replace('{', '{"id":"NP01",')}]}`;
      expect((await call({ method: 'POST', path: '/api/ambulances/positions', may: 'ambulances:position', body: batch })).status, batch).toBe(400);
    }
    for (const query of ['lat=NaN&lon=95.7', 'lat=40.5&lon=Infinity', 'lat=1e999&lon=95.7', 'lat=&lon=', 'lat=north&lon=95']) {
      const res = await call({ method: 'POST', path: `/osmand?id=013900000001&${query}`, may: null });
      expect(res.status, query).toBe(400);
    }
    expect(
      (await call({ method: 'POST', path: '/osmand', may: null, body: '{"device_id":"013900000001","location":{"coords":{"latitude":1e999,"longitude":95.7}}}' })).status,
    ).toBe(400);
    expect(
      (
        await call({
          method: 'POST',
          path: '/api/dispatch/recommend',
          may: 'dispatch:recommend',
          body: '{"call":{"symptoms":true,"history":{"travel":false,"residence":false,"contact":false,"exposure":false},"condition":"stable","facilityTransfer":false},"pickup":{"location":[1e999,40.5]}}',
        })
      ).status,
    ).toBe(400);
    expect((await unit()).fix).toEqual(before);
  });

  it('handles coordinates outside the county: off the globe and (0, 0) refused, elsewhere kept with no grid', async () => {
    for (const body of ['{"lng":181,"lat":40.5}', '{"lng":95.7,"lat":-90.0001}', '{"lng":0,"lat":0}']) {
      expect((await call({ method: 'POST', path: '/api/ambulances/NP02/position', may: 'ambulances:position', body })).status, body).toBe(400);
    }
    // A unit may leave the county (a cross-district transfer): its fix is kept, with no grid.
    const beijing = await call({
      method: 'POST',
      path: '/api/ambulances/NP02/position',
      may: 'ambulances:position',
      body: JSON.stringify({ lng: 116.4, lat: 39.9, at: Date.now() }),
    });
    expect(beijing.status).toBe(200);
    expect(beijing.body.data).toMatchObject({ gridId: null, fix: { lng: 116.4, lat: 39.9 } });
    // A call from outside the county is recommended for, marked as such.
    const call0 = { symptoms: false, history: { travel: false, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };
    const rec = await call({
      method: 'POST',
      path: '/api/dispatch/recommend',
      may: 'dispatch:recommend',
      body: JSON.stringify({ call: call0, pickup: { location: [97.0, 41.5] } }),
    });
    expect(rec.status).toBe(200);
    expect(rec.body.data.pickup.inCounty).toBe(false);
  });

  it('refuses timestamps far in the future, which would otherwise hold a unit’s position (regression)', async () => {
    const now = Date.now();
    // Found by the fuzzer: Number.MAX_SAFE_INTEGER was taken as a fix time; every later fix of the unit then
    // failed with a 500 (new Date(at).toISOString() throws past the year 275760), and a time a year ahead made
    // every later fix "older than the last" (409).
    for (const at of [Number.MAX_SAFE_INTEGER, 8.64e15 + 1, now + 365 * 86_400_000, now + 5 * 60_000]) {
      const res = await call({ method: 'POST', path: '/api/ambulances/NP03/position', may: 'ambulances:position', body: JSON.stringify({ lng: 95.78, lat: 40.52, at }) });
      expect(res.status, String(at)).toBe(400);
      expect(res.body.message).toMatch(HAN);
    }
    expect(
      (await call({ method: 'POST', path: '/api/ambulances/NP03/position', may: 'ambulances:position', body: JSON.stringify({ lng: 95.78, lat: 40.52, at: now }) })).status,
    ).toBe(200);
    // The batch and the phones judge the time the same way: refused, answered, not stored.
    // (A time no date can hold is bad input outright; one merely ahead is a refused fix.)
    const unreadable = await call({
      method: 'POST',
      path: '/api/ambulances/positions',
      may: 'ambulances:position',
      body: JSON.stringify({ fixes: [{ id: 'NP04', lng: 95.78, lat: 40.52, at: Number.MAX_SAFE_INTEGER }] }),
    });
    expect(unreadable.status).toBe(400);
    const batch = await call({
      method: 'POST',
      path: '/api/ambulances/positions',
      may: 'ambulances:position',
      body: JSON.stringify({ fixes: [{ id: 'NP04', lng: 95.78, lat: 40.52, at: now + 365 * 86_400_000 }] }),
    });
    expect(batch.body.refused).toEqual([{ index: 0, id: 'NP04', reason: 'future' }]);
    // A phone without its device key is not heard at all (test/ingest/osmand.test.ts judges keyed phones' times).
    const phone = await call({ method: 'POST', path: `/osmand?id=013900000005&lat=40.52&lon=95.78&timestamp=${1e15}`, may: null });
    expect(phone.status).toBe(401);
    // Sample batches: collected or resulted in the future.
    const sent = await call({
      method: 'POST',
      path: '/api/sample-batches',
      may: 'sampleBatches:create',
      body: JSON.stringify({ source: '发热门诊', category: 'clinical', samples: 5, collectedAt: Number.MAX_SAFE_INTEGER }),
    });
    expect(sent.status).toBe(400);
    const ok = await call({
      method: 'POST',
      path: '/api/sample-batches',
      may: 'sampleBatches:create',
      body: JSON.stringify({ source: '发热门诊', category: 'clinical', samples: 5 }),
    });
    expect(ok.status).toBe(201);
    const result = await call({
      method: 'POST',
      path: `/api/sample-batches/${ok.body.data.id}/result`,
      may: 'sampleBatches:result',
      body: JSON.stringify({ resultedAt: now + 365 * 86_400_000 }),
    });
    expect(result.status).toBe(400);
  });

  it('answers an object where /osmand expects text as a bad request, not a 500 (regression)', async () => {
    // Found by the fuzzer: String({ toString: 1 }) throws, so these were 500s.
    const coords = '"coords":{"latitude":40.52,"longitude":95.78}';
    const cases: [string, number, string][] = [
      [`{"device_id":{"toString":1},"location":{${coords}}}`, 400, 'device_id missing'],
      [`{"device_id":"013900000001","location":{"timestamp":{"toString":1},${coords}}}`, 400, 'timestamp not understood'],
      ['{"id":{"toString":1},"lat":40.5,"lon":95.7}', 400, 'id missing'],
      ['{"id":"013900000001","lat":40.5,"lon":95.7,"timestamp":[]}', 400, 'timestamp not understood'],
    ];
    for (const [body, status, message] of cases) {
      const res = await call({ method: 'POST', path: '/osmand', may: null, body });
      expect([res.status, res.body.message], body).toEqual([status, message]);
    }
    // A validity flag that is not a flag reads (as not located), and then the missing device key is what is refused.
    const flag = await call({ method: 'POST', path: '/osmand', may: null, body: '{"id":"013900000001","lat":40.5,"lon":95.7,"valid":{"toString":{}}}' });
    expect([flag.status, flag.body.error]).toEqual([401, 'unauthorized']);
  });

  it('keeps unicode names exactly, and measures their limits', async () => {
    const names = ['张三👨‍👩‍👧‍👦', '\u202eتحويل\u202c', 'a\u200bb\u200dc\ufeffd', 'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍', '🚑'.repeat(50)];
    const callAnswers = { symptoms: false, history: { travel: false, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };
    for (const patient of names) {
      const res = await call({
        method: 'POST',
        path: '/api/transfers',
        may: 'transfers:write',
        body: JSON.stringify({ call: callAnswers, pickup: { location: [95.78, 40.52] }, patient, address: patient }),
      });
      expect(res.status, patient).toBe(201);
      const stored = await fz.srv.store.get('transfers', res.body.data.id);
      expect(stored?.patient).toBe(patient.trim());
      expect(stored?.pickup.address).toBe(patient.trim());
    }
    // Limits count UTF-16 units; over them is a 400 that names the field.
    const long = await call({
      method: 'POST',
      path: '/api/transfers',
      may: 'transfers:write',
      body: JSON.stringify({ call: callAnswers, pickup: { location: [95.78, 40.52] }, patient: '长'.repeat(101) }),
    });
    expect(long.status).toBe(400);
    expect(long.body.issues[0].path).toContain('patient');
    // Text a person must give has something to read in it: not only spaces or invisible marks.
    for (const source of ['   ', '\u200b', '\u200b\u200d\ufeff', ' \u2060 ']) {
      const res = await call({ method: 'POST', path: '/api/sample-batches', may: 'sampleBatches:create', body: JSON.stringify({ source, category: 'clinical', samples: 1 }) });
      expect(res.status, JSON.stringify(source)).toBe(400);
    }
    const invisible = await call({
      method: 'POST',
      path: '/api/sample-batches',
      may: 'sampleBatches:create',
      body: JSON.stringify({ source: '\u200b', category: 'clinical', samples: 1 }),
    });
    expect(invisible.body.message).toMatch(/须包含可见文字/);
    // A unicode or very long username is just a wrong sign-in.
    for (const username of ['管理员\u202e', '👮', 'admin\u200b', 'x'.repeat(64)]) {
      const res = await call({ method: 'POST', path: '/api/auth/login', may: null, body: JSON.stringify({ username, password: 'epi-board-demo' }) });
      expect(res.status, username).toBe(401);
      expect(res.body.message).toMatch(HAN);
    }
    expect((await call({ method: 'POST', path: '/api/auth/login', may: null, body: JSON.stringify({ username: 'x'.repeat(65), password: 'p' }) })).status).toBe(400);
  });

  it('refuses tampered tokens with 401 in Chinese, over HTTP and on the live socket', async () => {
    const token = fz.tokens.commander;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const headers = [
      `Bearer ${flipped}`,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token}x`,
      `Bearer ${token} ${token}`,
      `Basic ${token}`,
      token,
      'Bearer',
      'Bearer ../../session:*',
      `Bearer ${'a'.repeat(4000)}`,
    ];
    for (const authorization of headers) {
      const res = await fetch(`${fz.srv.url}/api/alerts/x/ack`, { method: 'POST', headers: { authorization } });
      expect(res.status, authorization.slice(0, 40)).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(HAN);
    }
    for (const bad of [flipped, `${token}x`, token.toUpperCase()]) {
      const socket = connectLive(fz.srv.url, { token: bad });
      expect(await new Promise((resolve) => socket.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
      socket.close();
    }
  });

  it('refuses an expired token with 401 in Chinese, over HTTP and on the live socket', async () => {
    let now = Date.now();
    let srv: TestServer | null = null;
    try {
      srv = await startTestServer({ redis: { url: fz.redis.url, prefix: `${fz.redis.prefix}expiry:` }, clock: () => now });
      const token = await login(srv.url, 'dispatcher');
      const ok = await fetch(`${srv.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      now += srv.app.config.sessionTtlMs + 1;
      const res = await fetch(`${srv.url}/api/ambulances/NP01/status`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"status":"offline"}',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized', message: '未登录或登录已过期 (sign in first)' });
      const socket = connectLive(srv.url, { token });
      expect(await new Promise((resolve) => socket.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
      socket.close();
    } finally {
      await srv?.close();
    }
  });
});
