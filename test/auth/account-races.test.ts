// Account changes racing each other, through a listening server, on a real Redis and on the
// in-process store: a sign-in under way while an admin disables the account leaves no
// session that works, and a password reset racing a disable never leaves the account enabled.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const ROUNDS = 20;

for (const kind of ['memory', 'redis'] as const) {
  describe(`account changes race (${kind} store)`, () => {
    const env = useServer({ redis: kind === 'redis', roles: ['admin'] });
    let srv: TestServer;
    let admin: string;
    let hotel: string;
    beforeAll(async () => {
      srv = env.srv;
      admin = env.tokens.admin!;
      hotel = Object.keys((await srv.store.snapshot()).collections.hotels)[0]!;
    });

    const call = async (token: string | null, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${srv.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as { token?: string; data?: { disabled: boolean } } };
    };
    const signIn = async (username: string, password: string) => {
      const res = await call(null, 'POST', '/api/auth/login', { username, password });
      return res.status === 200 ? (res.body.token ?? null) : null;
    };
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('a sign-in under way while the account is disabled leaves no session that can write', async () => {
      const tokens: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // The disable lands somewhere inside the sign-in's password check (scrypt takes tens of ms).
        const [token, disabled] = await Promise.all([
          signIn('commander', DEMO_PASSWORD),
          pause(round % 5).then(() => call(admin, 'PATCH', '/api/accounts/commander', { disabled: true })),
        ]);
        expect(disabled.status).toBe(200);
        if (token) tokens.push(token);
        for (const t of tokens) {
          expect((await call(t, 'PATCH', `/api/hotels/${hotel}`, { people: 12 })).status, `round ${round}`).toBe(401);
        }
        expect((await call(admin, 'PATCH', '/api/accounts/commander', { disabled: false })).status).toBe(200);
      }
      // Enabled again, the account signs in and writes as before.
      const fresh = await login(srv.url, 'commander');
      expect((await call(fresh, 'PATCH', `/api/hotels/${hotel}`, { people: 12 })).status).toBe(200);
      for (const t of tokens) expect((await call(t, 'GET', '/api/auth/me')).status).toBe(401);
    });

    it('a password reset racing a disable never leaves the account enabled with both answered 2xx', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const password = `reset-${round}-password`;
        const [reset, disabled] = await Promise.all([
          call(admin, 'POST', '/api/accounts/dispatcher/password', { password }),
          pause(round % 5).then(() => call(admin, 'PATCH', '/api/accounts/dispatcher', { disabled: true })),
        ]);
        expect([200, 409]).toContain(reset.status);
        expect([200, 409]).toContain(disabled.status);
        const user = await srv.store.getUser('dispatcher');
        if (disabled.status === 200) expect(user?.disabled, `round ${round}`).toBe(true);
        expect(await signIn('dispatcher', password)).toBeNull();
        expect((await call(admin, 'PATCH', '/api/accounts/dispatcher', { disabled: false })).status).toBe(200);
        if (reset.status === 200) expect(await signIn('dispatcher', password)).toBeTruthy();
      }
    });

    it('two admins taking away each other’s admin at once always leave one usable admin', async () => {
      const passwords: Record<string, string> = { admin: DEMO_PASSWORD, 'admin-x': 'second-admin-pw' };
      expect((await call(admin, 'POST', '/api/accounts', { username: 'admin-x', role: 'admin', password: passwords['admin-x'] })).status).toBe(201);
      for (let round = 0; round < ROUNDS; round++) {
        const a = await login(srv.url, 'admin');
        const x = await login(srv.url, 'admin-x', passwords['admin-x']);
        const [one, other] = await Promise.all([
          call(a, 'PATCH', '/api/accounts/admin-x', round % 2 ? { role: 'commander' } : { disabled: true }),
          call(x, 'PATCH', '/api/accounts/admin', { disabled: true }),
        ]);
        const users = await Promise.all(['admin', 'admin-x'].map(async (u) => (await srv.store.getUser(u))!));
        const usable = users.filter((u) => u.role === 'admin' && !u.disabled);
        expect(usable.length, `round ${round}: ${one.status} ${other.status}`).toBeGreaterThanOrEqual(1);
        // The survivor puts the other back.
        const survivor = await login(srv.url, usable[0]!.username, passwords[usable[0]!.username]);
        for (const u of users) {
          if (u.disabled || u.role !== 'admin') expect((await call(survivor, 'PATCH', `/api/accounts/${u.username}`, { disabled: false, role: 'admin' })).status).toBe(200);
        }
      }
    });
  });
}
