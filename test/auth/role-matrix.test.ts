// The role matrix: every route the app registers, called by every role (and by nobody),
// against the one table of permissions (server/auth/permissions.ts). A role the table
// allows is let through (whatever the empty body then earns: 400, 404, 409…), a role it
// does not gets 403, an unsigned call 401. Every write route must name its action, so a
// new route cannot slip in unguarded. The live socket: every role connects and may send
// its two events; no token, no connection. Every read route spelled otherwise (percent-encoded,
// dot segments, doubled or encoded slashes) gives nobody data and never a 5xx.
import { beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../server/auth/permissions.ts';
import type { Role } from '../../server/schema/index.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { pathSpellings, rawRequest } from '../helpers/path-spellings.ts';
import { sampleCounty, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';

const ROLES: Role[] = ['admin', 'commander', 'dispatcher', 'field', 'wall'];
/** Open to all: no sign-in. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login']);
/** Writes that need no action: signing out one's own session; phones as trackers (known terminal ids with their device keys, see osmand.ts). */
const SELF_SERVICE = new Set(['POST /api/auth/logout', 'GET /osmand', 'POST /osmand', 'GET /osmand/:key', 'POST /osmand/:key', 'POST /api/auth/login']);

describe('the role matrix', () => {
  const env = useServer({ roles: ROLES });
  const tokens = env.tokens as Record<Role, string>;
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  const apiRoutes = () => srv.app.routeRules.filter((r) => r.url.startsWith('/api/'));
  const call = (method: string, url: string, token?: string) =>
    fetch(`${srv.url}${url.replace(/:(\w+)/g, 'X')}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: method === 'GET' ? undefined : '{}',
    });

  it('names an action for every write route', () => {
    const unguarded = srv.app.routeRules.filter((r) => r.method !== 'GET' && r.action === null && !SELF_SERVICE.has(`${r.method} ${r.url}`)).map((r) => `${r.method} ${r.url}`);
    expect(unguarded).toEqual([]);
    expect(apiRoutes().length).toBeGreaterThan(25);
  });

  it('lets each role do what the table says, and nothing else', async () => {
    const rows: string[] = [];
    let calls = 0;
    for (const route of apiRoutes()) {
      const name = `${route.method} ${route.url}`;
      if (name === 'POST /api/auth/logout') continue; // it would end the session under test; below
      const unsigned = (await call(route.method, route.url)).status;
      calls++;
      if (PUBLIC.has(name)) expect(unsigned, name).not.toBe(401);
      else expect(unsigned, `${name} unsigned`).toBe(401);
      const row: string[] = [];
      for (const role of ROLES) {
        if (PUBLIC.has(name)) break;
        const allowed = route.action === null || (permissions[route.action] as readonly Role[]).includes(role);
        const status = (await call(route.method, route.url, tokens[role])).status;
        calls++;
        if (allowed) expect([401, 403], `${name} as ${role}: ${status}`).not.toContain(status);
        else expect(status, `${name} as ${role}`).toBe(403);
        row.push(allowed ? role : '-');
      }
      rows.push(`${name.padEnd(44)} ${route.action ?? (PUBLIC.has(name) ? 'public' : 'signed in')}: ${row.join(' ')}`);
    }
    // The matrix, for the reviewer reading the test output.
    console.log(`${calls} calls\n${rows.join('\n')}`);
  }, 60_000);

  it('answers no other spelling of a signed-in route to nobody: never data, never a 5xx', async () => {
    const reads = apiRoutes().filter((r) => r.method === 'GET' && !PUBLIC.has(`${r.method} ${r.url}`));
    expect(reads.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    let calls = 0;
    for (const route of reads) {
      const path = route.url.replace(/:(\w+)/g, 'X');
      for (const spelled of pathSpellings(path)) {
        const res = await rawRequest(srv.url, 'GET', spelled);
        calls++;
        // 401 where the router matched the route, 404 (or 400, 403) where it matched none, or a
        // connection closed by the HTTP parser (0); no body with data.
        if ((res.status !== 0 && res.status < 400) || res.status >= 500 || /"data"\s*:/.test(res.body)) leaks.push(`GET ${spelled} → ${res.status} ${res.body.slice(0, 120)}`);
      }
      // Signed in, the same spellings reach at most the route itself: still no 5xx.
      for (const spelled of pathSpellings(path).slice(0, 3)) {
        const res = await rawRequest(srv.url, 'GET', spelled, { authorization: `Bearer ${tokens.wall}` });
        calls++;
        if (res.status >= 500) leaks.push(`GET ${spelled} as wall → ${res.status}`);
      }
    }
    // The routes outside /api that answer data: /metrics (token or admin) and the client's pages.
    for (const spelled of pathSpellings('/metrics')) {
      const res = await rawRequest(srv.url, 'GET', spelled);
      calls++;
      if ((res.status !== 0 && res.status < 400) || res.status >= 500 || res.body.includes('board_')) leaks.push(`GET ${spelled} → ${res.status}`);
    }
    console.log(`${calls} calls with other spellings`);
    expect(leaks).toEqual([]);
  }, 120_000);

  it('answers 401, not 500, where a route’s handler finds no session (fails closed)', async () => {
    // A server whose session hook is undone by a later one: the route's own guard still holds.
    // (The same store: the tokens are good, the session hook finds them.)
    const app = await buildApp({ config: testConfig(), store: srv.store, county: await sampleCounty(), clock: () => Date.now(), jobs: false });
    app.addHook('onRequest', async (request) => {
      request.session = null;
    });
    try {
      for (const route of ['GET /api/snapshot', 'POST /api/alerts/X/ack', 'POST /api/transfers', 'GET /api/auth/me']) {
        const [method = 'GET', url = ''] = route.split(' ');
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: { authorization: `Bearer ${tokens.admin}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          payload: method === 'GET' ? undefined : '{}',
        });
        expect([401, 403], `${route}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      }
    } finally {
      await app.close();
    }
  });

  it('keeps /metrics for the scraper’s token or an admin', async () => {
    for (const role of ROLES) {
      const status = (await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${tokens[role]}` } })).status;
      expect(status, role).toBe(role === 'admin' ? 200 : 401);
    }
  });

  it('lets every role onto the live socket, and nobody without a token', async () => {
    for (const role of ROLES) {
      const socket = connectLive(srv.url, { token: tokens[role] });
      const first = await new Promise<string>((resolve) => {
        socket.once('snapshot', (s) => resolve(`snapshot ${s.reason}`));
        socket.once('connect_error', (e) => resolve(e.message));
      });
      expect(first, role).toBe('snapshot connect');
      socket.emit('resync');
      const again = await new Promise<string>((resolve) => socket.once('snapshot', (s) => resolve(s.reason ?? '')));
      expect(again, role).toBe('resync');
      socket.close();
    }
    const nobody = connectLive(srv.url, {});
    expect(await new Promise((resolve) => nobody.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
    nobody.close();
  });

  it('ends a session on sign-out, for every role', async () => {
    for (const role of ROLES) {
      expect((await call('POST', '/api/auth/logout', tokens[role])).status).toBe(204);
      expect((await call('GET', '/api/auth/me', tokens[role])).status).toBe(401);
    }
  });
});
