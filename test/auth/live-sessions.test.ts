// Hostile and ended sessions on the live path: sign-in attempts are limited, signing out
// or a revoked session ends the live socket, and a screen flooding events is cut off.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';

describe('sessions and the live path', () => {
  const env = useServer({ config: { loginRateLimit: 3, sessionRecheckMs: 200 } });
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  const attempt = (username: string, password: string) =>
    fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const connect = async (token: string) => {
    const socket = connectLive(srv.url, { token });
    await new Promise((r) => socket.once('snapshot', r));
    const closed = new Promise<string>((r) => socket.once('disconnect', r));
    return { socket, closed };
  };

  it('limits sign-in attempts per address and username', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('dispatcher', 'wrong-password')).status).toBe(401);
    const limited = await attempt('dispatcher', DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { message: string }).message).toMatch(/登录尝试过多/);
    expect((await attempt('wall', DEMO_PASSWORD)).status).toBe(200); // another account is not locked out
  });

  it('ends the live socket of a session that signs out', async () => {
    const token = await login(srv.url, 'commander');
    const { closed } = await connect(token);
    await fetch(`${srv.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(await closed).toBe('io server disconnect');
  });

  it('ends the live socket of a session signed out elsewhere, at once', async () => {
    const token = await login(srv.url, 'field');
    const { closed } = await connect(token);
    await srv.store.deleteSession(token); // another process signed it out
    expect(await closed).toBe('io server disconnect');
  });

  it('ends the live socket of a session that expires, within the recheck', async () => {
    const now = Date.now();
    await srv.store.putSession({ token: 'short-lived', username: 'field', role: 'field', expiresAt: now + 1000 }, now);
    const { closed } = await connect('short-lived');
    expect(await closed).toBe('io server disconnect');
    expect(Date.now() - now).toBeGreaterThanOrEqual(1000);
  });

  it('cuts off a screen that floods events', async () => {
    const token = await login(srv.url, 'admin');
    const { socket, closed } = await connect(token);
    for (let i = 0; i < 30; i++) socket.emit('resync');
    expect(await closed).toBe('io server disconnect');
    expect(srv.app.gateway.counts.flooded).toBeGreaterThan(0);
  });
});
