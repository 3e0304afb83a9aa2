// GET /api/openapi.json: the description generated from the routes' schemas lists every
// registered /api route with its methods, is served to admins only, and describes answers
// without changing them (a response schema never filters: server/plugins/openapi.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { needsSession } from '../../server/plugins/auth.ts';
import {
  AnyFeatureCollection,
  AuditPage,
  CountyAnswer,
  CoverageAnswer,
  CoverageSummary,
  DailyReport,
  DataBody,
  GridsFile,
  Health,
  IndicatorsAnswer,
  KpiAnswer,
  Me,
  PositionsAnswer,
  ReportList,
  ReportListing,
  RoundProgressAnswer,
  Snapshot,
  Town,
} from '../../server/schema/index.ts';
import { useServer } from '../helpers/use-server.ts';

type Response = { description?: string; content?: Record<string, { schema?: unknown }> };
type Operation = { responses?: Record<string, Response>; security?: unknown };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: unknown };
  security?: unknown;
};

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

  it('describes an answer of every route, by status and media type', async () => {
    const doc = (await (await get(env.tokens.admin)).json()) as Document;
    // @fastify/swagger gives a route without a response schema a bare "200: Default Response".
    const described = (r: Response) => r.content !== undefined || r.description !== 'Default Response';
    const undescribed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !Object.entries(op.responses ?? {}).some(([status, r]) => /^[23]/.test(status) && described(r)))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undescribed).toEqual([]);
    // Files by their media types; a revalidated answer's 304 has no body.
    expect(Object.keys(doc.paths['/api/audit/export']!.get!.responses!['200']!.content!)).toEqual(['text/csv']);
    expect(Object.keys(doc.paths['/api/reports/{date}/{format}']!.get!.responses!['200']!.content!)).toEqual([
      'application/json',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(Object.keys(doc.paths['/api/grids']!.get!.responses!['200']!.content!)).toEqual(['application/geo+json']);
    expect(doc.paths['/api/county']!.get!.responses!['304']).toEqual({ description: expect.stringContaining('Not modified') });
    // The fields the routes send: the KPIs' figures, the audit page's cursor.
    const kpis = JSON.stringify(doc.paths['/api/kpis']!.get!.responses!['200']);
    for (const field of ['today', 'week', 'within3Min', 'p90Minutes', 'negativePressure']) expect(kpis).toContain(`"${field}"`);
    expect(doc.paths['/api/kpis']!.get!.responses!['200']!.description).toMatch(/^The 120 centre's figures/);
    expect(doc.paths['/api/audit']!.get!.responses!['200']!.content!['application/json']!.schema).toMatchObject({ required: expect.arrayContaining(['data', 'next']) });
  });

  it('marks the routes open to anonymous users `security: []`, the others under the bearer token', async () => {
    const doc = (await (await get(env.tokens.admin)).json()) as Document;
    expect(doc.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const routes = env.srv.app.routeRules.filter((r) => r.url.startsWith('/api/'));
    const op = (r: { method: string; url: string }) => doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!;
    const open = routes.filter((r) => !needsSession(r.url)).map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(['GET /api/health', 'POST /api/auth/login']);
    for (const r of routes) expect(op(r).security, `${r.method} ${r.url}`).toEqual(needsSession(r.url) ? undefined : []);
  });

  it('answers what the schemas say: each body reads under its schema, no field left out', async () => {
    const call = async (method: string, path: string, token = env.tokens.admin, body?: unknown) => {
      const res = await fetch(`${env.srv.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res.json() as Promise<unknown>;
    };
    const round = (await call('POST', '/api/testing-rounds', env.tokens.commander, { county: true })) as { data: { id: string } };
    const made = (await call('POST', '/api/reports', env.tokens.admin)) as { data: { date: string } };
    const reads: [string, string, z.ZodType, string?, unknown?][] = [
      ['GET', '/api/kpis', KpiAnswer],
      ['GET', '/api/indicators', IndicatorsAnswer],
      ['GET', '/api/coverage', DataBody(CoverageAnswer)],
      ['GET', '/api/coverage/summary', DataBody(CoverageSummary)],
      ['GET', '/api/snapshot', Snapshot],
      ['GET', '/api/snapshot', Snapshot, env.tokens.wall],
      ['GET', '/api/snapshot', Snapshot, env.tokens.field],
      ['GET', '/api/county', CountyAnswer],
      ['GET', '/api/towns', DataBody(z.array(Town))],
      ['GET', '/api/grids', GridsFile],
      ['GET', '/api/grids', GridsFile, env.tokens.wall],
      ['GET', `/api/testing-rounds/${round.data.id}/progress`, RoundProgressAnswer],
      ['GET', '/api/reports', ReportList],
      ['GET', `/api/reports/${made.data.date}/json`, DataBody(DailyReport)],
      ['POST', '/api/reports', DataBody(ReportListing)],
      ['GET', '/api/audit?limit=5', AuditPage],
      ['GET', '/api/export/samplingPoints', AnyFeatureCollection],
      ['GET', '/api/export/grids', AnyFeatureCollection],
      ['POST', '/api/ambulances/positions', PositionsAnswer, env.tokens.dispatcher, { fixes: [{ id: 'AMB-NONE', lng: 95.78, lat: 40.52 }] }],
      ['GET', '/api/auth/me', Me],
      ['GET', '/api/health', Health],
    ];
    for (const [method, path, schema, token, body] of reads) {
      const answer = await call(method, path, token, body);
      const read = schema.safeParse(answer);
      expect(read.error?.issues, `${method} ${path}`).toBeUndefined();
      // A schema short of a field would strip it: what it reads is all that was sent.
      expect(read.data, `${method} ${path}`).toEqual(answer);
    }
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
