// Whose X-Forwarded-For counts (TRUST_PROXY), through a listening server: by default nobody's,
// in production too, so a client rotating forged addresses still trips the sign-in limit and
// the audit log records the socket's address; with a hop count or the proxy's address, the
// right-most entry (the one our proxy wrote) is the client, whatever the client put left of it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { DEMO_PASSWORD, login, startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

const signIn = (url: string, username: string, password: string, forwardedFor: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ username, password }),
  });

/** The address the audit log recorded for the latest sign-in by `username`. */
async function auditedAddress(url: string, username: string): Promise<string | undefined> {
  const admin = await login(url, 'admin');
  const res = await fetch(`${url}/api/audit?limit=50`, { headers: { authorization: `Bearer ${admin}` } });
  const { data } = (await res.json()) as { data: { route: string; user: string | null; status: number; ip: string }[] };
  return data.find((e) => e.route === '/api/auth/login' && e.user === username && e.status === 200)?.ip;
}

/** Failed sign-ins, each from a "different" client as X-Forwarded-For tells it; the statuses. */
async function rotate(url: string, forwardedFor: (i: number) => string, tries: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < tries; i++) statuses.push((await signIn(url, 'commander', 'wrong-password', forwardedFor(i))).status);
  return statuses;
}

const start = (config: Partial<Config>) => startTestServer({ config: { production: true, loginRateLimit: 3, ...config } });

describe('trusted proxies', () => {
  it('by default (in production too) believes no X-Forwarded-For: the sign-in limit and the audit see the socket', async () => {
    srv = await start({});
    const statuses = await rotate(srv.url, (i) => `203.0.113.${i + 1}`, 5);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect((await signIn(srv.url, 'dispatcher', DEMO_PASSWORD, '203.0.113.77')).status).toBe(200);
    expect(await auditedAddress(srv.url, 'dispatcher')).toBe('127.0.0.1');
  });

  for (const [label, trustProxy] of [
    ['one hop (TRUST_PROXY=1)', 1],
    ['the proxy’s address (TRUST_PROXY=127.0.0.1)', ['127.0.0.1']],
  ] as const) {
    it(`with ${label}, takes the right-most entry and ignores forged ones left of it`, async () => {
      srv = await start({ trustProxy: typeof trustProxy === 'number' ? trustProxy : [...trustProxy] });
      // The client forges ever new addresses; our proxy appends the one it saw, the same each time.
      const statuses = await rotate(srv.url, (i) => `203.0.113.${i + 1}, 198.51.100.7`, 5);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // Another client behind the same proxy has its own allowance.
      expect((await signIn(srv.url, 'commander', 'wrong-password', '198.51.100.8')).status).toBe(401);
      expect((await signIn(srv.url, 'dispatcher', DEMO_PASSWORD, '10.1.2.3, 198.51.100.9')).status).toBe(200);
      expect(await auditedAddress(srv.url, 'dispatcher')).toBe('198.51.100.9');
    });
  }
});
