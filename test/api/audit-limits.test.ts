// Sign-in spraying and audit flooding, on a real Redis through a listening server: one address
// is limited whatever the usernames it tries, its failed sign-ins fold into one summary entry a
// window, the audit stream is capped by length, and an audit entry that cannot be written
// turns the answer into a 503 (a sign-in then opens no session).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/plugins/audit.ts';
import type { RedisStore } from '../../server/store/redis-store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { DEMO_PASSWORD, login, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const call = async (srv: TestServer, token: string | null, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as { error?: string; message?: string; token?: string } };
};
const signIn = (srv: TestServer, username: string, password: string) => call(srv, null, 'POST', '/api/auth/login', { username, password });
const signIns = async (srv: TestServer) => (await srv.store.auditPage(10_000)).map(({ json }) => JSON.parse(json) as AuditEntry).filter((e) => e.route === '/api/auth/login');

describe('sign-in limits per address', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ redis: { url: redis.url, prefix: `${redis.prefix}limit:` }, config: { loginRateLimit: 1000, loginRateLimitPerAddress: 5 } });
  });
  afterAll(() => srv?.close());

  it('limits one address trying one password on many usernames, in Chinese', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(srv, `guess-${i}`, 'spring-2026!')).status).toBe(401);
    const limited = await signIn(srv, 'commander', DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate-limited', message: expect.stringMatching(/此地址登录尝试过多/) });
  });
});

describe('failed sign-ins in the audit log', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ redis: { url: redis.url, prefix: `${redis.prefix}fold:` }, config: { loginAuditFoldMs: 5000, auditMaxEntries: 50 } });
  });
  afterAll(() => srv?.close());

  it('folds repeated failures from one address into one summary entry a window', async () => {
    const first = await signIn(srv, 'user-0', 'wrong-password');
    expect(first.status).toBe(401);
    const rest = await Promise.all(Array.from({ length: 29 }, (_, i) => signIn(srv, `user-${i % 3}`, 'wrong-password')));
    expect(rest.map((r) => r.status)).toEqual(Array(29).fill(401));
    expect(await signIns(srv)).toHaveLength(1);
    // The window closes with nobody trying again: the summary follows within half a window.
    const entries = await waitFor(
      async () => {
        const found = await signIns(srv);
        return found.length >= 2 ? found : null;
      },
      'the summary entry',
      15_000,
      100,
    );
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ ip: '127.0.0.1', status: 401, body: { repeatedFailures: 29 } });
    expect((entries[0]!.body as { usernames: string[] }).usernames.sort()).toEqual(['user-0', 'user-1', 'user-2']);
    // A sign-in that works is written as ever.
    expect((await signIn(srv, 'wall', DEMO_PASSWORD)).status).toBe(200);
    expect((await signIns(srv))[0]).toMatchObject({ user: 'wall', status: 200 });
  });

  it('caps the audit stream by length as well as by age', async () => {
    const commander = await login(srv.url, 'commander');
    const hotel = Object.keys((await srv.store.snapshot()).collections.hotels)[0]!;
    for (let i = 0; i < 320; i++) expect((await call(srv, commander, 'PATCH', `/api/hotels/${hotel}`, { people: i })).status).toBe(200);
    const length = await (srv.store as RedisStore).redis.xlen(`${redis.prefix}fold:audit`);
    // Trimmed by whole stream nodes (100 entries): about 50, surely not all 320.
    expect(length).toBeGreaterThanOrEqual(50);
    expect(length).toBeLessThan(250);
  });
});

describe('an audit entry that cannot be written', () => {
  let srv: TestServer;
  const prefix = () => `${redis.prefix}down:`;
  beforeAll(async () => {
    srv = await startTestServer({ redis: { url: redis.url, prefix: prefix() } });
  });
  afterAll(() => srv?.close());

  it('keeps an entry whose body is nested too deeply to serialise, without that body', async () => {
    const token = await login(srv.url, 'wall');
    const body = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const res = await fetch(`${srv.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(204);
    const [latest] = (await srv.store.auditPage(1)).map(({ json }) => JSON.parse(json) as AuditEntry);
    expect(latest).toMatchObject({ route: '/api/auth/logout', user: 'wall', body: { unrecorded: expect.any(String) } });
  });

  it('answers 503, never 2xx, and a sign-in opens no session', async () => {
    const store = srv.store as RedisStore;
    const commander = await login(srv.url, 'commander');
    const hotel = Object.keys((await srv.store.snapshot()).collections.hotels)[0]!;
    // The stream's key holds a string: every XADD fails with WRONGTYPE.
    await store.redis.del(`${prefix()}audit`);
    await store.redis.set(`${prefix()}audit`, 'not a stream');
    const sessions = async () => (await store.redis.keys(`${prefix()}session:*`)).length;
    const open = await sessions();

    const changed = await call(srv, commander, 'PATCH', `/api/hotels/${hotel}`, { people: 4321 });
    expect(changed.status).toBe(503);
    expect(changed.body).toMatchObject({ error: 'audit-unavailable', message: expect.stringMatching(/审计日志无法写入/) });

    const signedIn = await signIn(srv, 'dispatcher', DEMO_PASSWORD);
    expect(signedIn.status).toBe(503);
    expect(signedIn.body.token).toBeUndefined();
    expect(await sessions()).toBe(open);
    // Reading is not audited and goes on.
    expect((await call(srv, commander, 'GET', '/api/auth/me')).status).toBe(200);

    await store.redis.del(`${prefix()}audit`);
    expect((await call(srv, commander, 'PATCH', `/api/hotels/${hotel}`, { people: 12 })).status).toBe(200);
    expect((await signIn(srv, 'dispatcher', DEMO_PASSWORD)).status).toBe(200);
  });
});
