// GET /api/openapi.json: the description generated from the routes' schemas lists every
// registered /api route with its methods, is served to admins only, and describes answers
// without changing them (a response schema never filters: server/plugins/openapi.ts).
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.ts';

type Document = { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

describe('the OpenAPI page', () => {
  const env = useServer({ roles: ['admin', 'commander', 'dispatcher', 'field', 'wall'] });
  const get = (token?: string) => fetch(`${env.srv.url}/api/openapi.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lists every registered /api route, with the answers the schemas describe', async () => {
    const res = await get(env.tokens.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const doc = (await res.json()) as Document;
    expect(doc.openapi).toMatch(/^3\./);
    const registered = env.srv.app.routeRules.filter((r) => r.url === '/api' || r.url.startsWith('/api/'));
    expect(registered.length).toBeGreaterThan(25);
    const missing = registered.filter((r) => !doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    // Nothing but the API: the phones' protocol and the client's files are not described.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/'))).toEqual([]);
    // A change's answer and its refusals, from server/schema.
    const create = doc.paths['/api/transfers']!.post!.responses!;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['201', '4XX']));
    expect(JSON.stringify(create['201'])).toContain('seq');
  });

  it('refuses everyone but admins', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('not-a-token')).status).toBe(401);
    for (const role of ['commander', 'dispatcher', 'field', 'wall']) {
      const res = await get(env.tokens[role]);
      expect(res.status, role).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'forbidden' });
    }
  });
});
