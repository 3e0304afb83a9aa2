// Path spellings against every route, sent byte for byte (test/helpers/path-spellings.ts):
// percent-encoding, case, dot segments, doubled and encoded slashes. Unsigned, no route but the
// public ones answers 2xx or writes anything; signed in, nothing answers 5xx. Real Redis: the
// store's sequence number says whether anything was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathSpellings, rawRequest } from '../helpers/path-spellings.ts';
import { ENDS_SESSION, roleFor, routeName, startFuzzServer, type FuzzServer } from './harness.ts';

const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login']);

describe('path spellings', () => {
  let fz: FuzzServer;
  beforeAll(async () => {
    fz = await startFuzzServer();
  });
  afterAll(async () => {
    await fz?.close();
  });

  const routes = () => fz.srv.app.routeRules.filter((r) => r.url.startsWith('/api/') || r.url === '/metrics');
  const send = (method: string, path: string, token?: string) =>
    rawRequest(
      fz.srv.url,
      method,
      path,
      { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      method === 'GET' ? undefined : '{}',
    );

  it('gives an unsigned caller nothing and lets it write nothing, whatever the spelling', async () => {
    const bad: string[] = [];
    let calls = 0;
    const seq = await fz.srv.store.seq();
    for (const route of routes()) {
      if (PUBLIC.has(routeName(route))) continue;
      for (const spelled of pathSpellings(route.url.replace(/:(\w+)/g, 'X'))) {
        const res = await send(route.method, spelled);
        calls++;
        if ((res.status !== 0 && res.status < 400) || res.status >= 500) bad.push(`${route.method} ${spelled} → ${res.status} ${res.body.slice(0, 100)}`);
      }
    }
    expect(await fz.srv.store.seq()).toBe(seq);
    console.log(`path spellings: ${calls} unsigned calls, none answered 2xx or 5xx`);
    expect(bad).toEqual([]);
  }, 180_000);

  it('answers no spelling with a 5xx when signed in', async () => {
    const bad: string[] = [];
    for (const route of routes()) {
      if (ENDS_SESSION.has(routeName(route))) continue;
      const role = roleFor(route) ?? 'admin';
      for (const spelled of pathSpellings(route.url.replace(/:(\w+)/g, 'X'))) {
        const res = await send(route.method, spelled, fz.tokens[role]);
        if (res.status >= 500) bad.push(`${route.method} ${spelled} as ${role} → ${res.status} ${res.body.slice(0, 100)}`);
      }
    }
    expect(bad).toEqual([]);
    expect((await fetch(`${fz.srv.url}/api/health`)).status).toBe(200);
  }, 180_000);
});
