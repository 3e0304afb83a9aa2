// Account management on a real Redis with two server processes (two app instances on one
// Redis): admins create accounts, scope field leads to points, disable, change roles, reset
// passwords and revoke tokens, and every change that alters what a session may do cuts its
// live sockets at once on the other server too (the 30 s recheck is set far off, so only
// the revocation itself can do it). The county keeps one usable admin.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';

describe('account management', () => {
  const env = useServer({ redis: true, servers: 2, config: { sessionRecheckMs: 600_000 }, roles: ['admin'] });
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  let points: string[];
  beforeAll(async () => {
    [a, b] = env.servers as [TestServer, TestServer];
    admin = env.tokens.admin!;
    points = Object.keys((await a.store.snapshot()).collections.samplingPoints).sort();
  });

  const call = async (srv: TestServer, token: string | null, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as { data: AccountView; revoked: number; message: string } };
  };
  const asAdmin = (method: string, path: string, body?: unknown) => call(a, admin, method, path, body);
  /** A live socket on server B, and a promise of why it closed. */
  const connectToB = async (token: string) => {
    const socket = connectLive(b.url, { token });
    await new Promise((r) => socket.once('snapshot', r));
    return { socket, closed: new Promise<string>((r) => socket.once('disconnect', r)) };
  };
  const cannotConnect = (token: string) =>
    new Promise<string>((resolve) => {
      const socket = connectLive(b.url, { token });
      socket.once('connect_error', (err) => resolve(err.message));
      socket.once('snapshot', () => resolve('connected'));
    });

  it('lists accounts without their hashes', async () => {
    const res = await asAdmin('GET', '/api/accounts');
    expect(res.status).toBe(200);
    const list = res.body.data as unknown as AccountView[];
    expect(list.map((u) => u.username)).toEqual(['admin', 'commander', 'dispatcher', 'field', 'wall']);
    expect(JSON.stringify(list)).not.toMatch(/passwordHash|salt/);
    expect(list.find((u) => u.username === 'field')!.samplingPoints.length).toBeGreaterThan(0);
  });

  it('creates a field lead scoped to one point, who may change that point only, and rescopes them without a sign-out', async () => {
    const [mine, other] = points as [string, string];
    const created = await asAdmin('POST', '/api/accounts', { username: 'lead.wang', role: 'field', password: 'kaishi-2026', samplingPoints: [mine] });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ username: 'lead.wang', role: 'field', disabled: false, createdAt: expect.any(Number), samplingPoints: [mine] });
    const lead = await login(b.url, 'lead.wang', 'kaishi-2026');
    expect((await call(b, lead, 'PATCH', `/api/sampling-points/${mine}`, { queue: 12 })).status).toBe(200);
    expect((await call(b, lead, 'PATCH', `/api/sampling-points/${other}`, { queue: 12 })).status).toBe(403);

    const rescoped = await asAdmin('PATCH', '/api/accounts/lead.wang', { samplingPoints: [mine, other] });
    expect(rescoped.status).toBe(200);
    expect(rescoped.body.revoked).toBe(0);
    expect((await call(b, lead, 'PATCH', `/api/sampling-points/${other}`, { queue: 5 })).status).toBe(200);
  });

  it('refuses bad input in Chinese, and keeps what was there', async () => {
    const before = await asAdmin('GET', '/api/accounts');
    const cases: [unknown, number, RegExp][] = [
      [{ username: 'lead.wang', role: 'field', password: 'whatever-123' }, 409, /账户已存在/],
      [{ username: 'x', role: 'field', password: 'whatever-123' }, 400, /账户名/],
      [{ username: '王五', role: 'field', password: 'whatever-123' }, 400, /账户名/],
      [{ username: 'short', role: 'field', password: '1234567' }, 400, /密码至少8位/],
      [{ username: 'ghost', role: 'field', password: 'whatever-123', samplingPoints: ['no-such-point'] }, 400, /采样点不存在: no-such-point/],
      [{ username: 'ghost', role: 'dispatcher', password: 'whatever-123', samplingPoints: [points[0]] }, 400, /只有采样点负责人/],
      [{ username: 'ghost', role: 'root', password: 'whatever-123' }, 400, /./],
      [{ username: 'ghost', role: 'field', password: 'whatever-123', isAdmin: true }, 400, /./],
    ];
    for (const [body, status, message] of cases) {
      const res = await asAdmin('POST', '/api/accounts', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await asAdmin('PATCH', '/api/accounts/nobody', { disabled: true })).status).toBe(404);
    expect((await asAdmin('PATCH', '/api/accounts/lead.wang', {})).status).toBe(400);
    expect((await asAdmin('POST', '/api/accounts/lead.wang/password', { password: 'short' })).status).toBe(400);
    expect(await asAdmin('GET', '/api/accounts')).toEqual(before);
  });

  it('disabling an account cuts its screen on the other server at once and refuses its sign-in', async () => {
    const lead = await login(a.url, 'lead.wang', 'kaishi-2026');
    const { closed } = await connectToB(lead);
    const res = await asAdmin('PATCH', '/api/accounts/lead.wang', { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBeGreaterThanOrEqual(1);
    expect(await closed).toBe('io server disconnect');
    expect((await call(b, lead, 'GET', '/api/auth/me')).status).toBe(401);
    expect(await cannotConnect(lead)).toBe('unauthorized');
    await expect(login(b.url, 'lead.wang', 'kaishi-2026')).rejects.toThrow(/401/);
    expect((await asAdmin('PATCH', '/api/accounts/lead.wang', { disabled: false })).status).toBe(200);
    expect(await login(b.url, 'lead.wang', 'kaishi-2026')).toBeTruthy();
  });

  it('a new role signs the account out; it signs in again with the new role and no leftover scope', async () => {
    const token = await login(a.url, 'lead.wang', 'kaishi-2026');
    const { closed } = await connectToB(token);
    const res = await asAdmin('PATCH', '/api/accounts/lead.wang', { role: 'dispatcher' });
    expect(res.body.data).toMatchObject({ role: 'dispatcher', samplingPoints: [] });
    expect(await closed).toBe('io server disconnect');
    const again = await login(b.url, 'lead.wang', 'kaishi-2026');
    expect((await call(b, again, 'GET', '/api/auth/me')).body).toMatchObject({ role: 'dispatcher' });
    expect((await a.store.getUser('lead.wang'))!.samplingPoints).toBeUndefined();
  });

  it('a password reset ends old sessions; only the new password signs in', async () => {
    const old = await login(a.url, 'lead.wang', 'kaishi-2026');
    const res = await asAdmin('POST', '/api/accounts/lead.wang/password', { password: 'xin-mima-2026' });
    expect(res.status).toBe(200);
    expect((await call(b, old, 'GET', '/api/auth/me')).status).toBe(401);
    await expect(login(b.url, 'lead.wang', 'kaishi-2026')).rejects.toThrow(/401/);
    expect(await login(b.url, 'lead.wang', 'xin-mima-2026')).toBeTruthy();
  });

  it('revokes the wall’s long-lived token: the wall screen on the other server is cut at once', async () => {
    const wall = await login(a.url, 'wall');
    const { closed } = await connectToB(wall);
    const res = await asAdmin('POST', '/api/accounts/wall/revoke');
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBe(1);
    expect(await closed).toBe('io server disconnect');
    expect(await cannotConnect(wall)).toBe('unauthorized');
    expect(await login(b.url, 'wall')).toBeTruthy(); // the account itself still works
  });

  it('keeps one usable admin, and an admin cannot lock themselves out', async () => {
    expect((await asAdmin('PATCH', '/api/accounts/admin', { disabled: true })).body.message).toMatch(/不能停用自己的账户/);
    expect((await asAdmin('PATCH', '/api/accounts/admin', { role: 'commander' })).status).toBe(409);
    expect((await asAdmin('POST', '/api/accounts', { username: 'admin2', role: 'admin', password: 'second-admin' })).status).toBe(201);
    const second = await login(a.url, 'admin2', 'second-admin');
    // With two admins, one may disable the other, but not the last one left.
    expect((await call(a, second, 'PATCH', '/api/accounts/admin', { disabled: true })).status).toBe(200);
    expect((await call(a, second, 'PATCH', '/api/accounts/admin2', { disabled: true })).status).toBe(409);
    expect((await call(a, second, 'PATCH', '/api/accounts/admin', { disabled: false })).status).toBe(200);
  });
});
