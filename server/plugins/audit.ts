// The audit log: every change made through the API (and every sign-in attempt) records
// who, when, from where, what (the route and the body, passwords left out), and the
// entity before and after, in an append-only stream in the store, kept AUDIT_RETENTION_DAYS.
// It is written before the answer goes out, so no acknowledged change lacks its entry.
// Positions (telemetry, thousands a second) are counted in /metrics, not audited; a
// recommendation changes nothing.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { CollectionName } from '../schema/index.ts';
import { accountView } from '../auth/account-admin.ts';

/** Routes that change one entity named by :id, and its collection. */
const SUBJECT: Record<string, CollectionName> = {
  '/api/sampling-points/:id': 'samplingPoints',
  '/api/sampling-points/:id/ops': 'samplingPoints',
  '/api/hotels/:id': 'hotels',
  '/api/grids/:id/risk': 'gridStatus',
  '/api/hospitals/:id': 'hospitals',
  '/api/ambulances/:id/status': 'ambulances',
  '/api/transfers/:id/steps': 'transfers',
  '/api/alerts/:id/ack': 'alerts',
  '/api/alerts/:id/resolve': 'alerts',
  '/api/sample-batches/:id/result': 'sampleBatches',
  '/api/testing-rounds/:id/end': 'testingRounds',
  '/api/round-grids/:id/ops': 'roundGrids',
};
/** Routes that create an entity (its id comes back in `data.id`). */
const CREATES: Record<string, CollectionName> = { '/api/transfers': 'transfers', '/api/sample-batches': 'sampleBatches', '/api/testing-rounds': 'testingRounds' };
/** An import's report as recorded: without its rows, which the import itself keeps. */
const importSummary = (report: unknown): unknown => {
  if (!report || typeof report !== 'object') return report ?? null;
  const { rows: _rows, columns: _columns, fields: _fields, errors: _errors, warnings: _warnings, overlaps: _overlaps, ...rest } = report as Record<string, unknown>;
  return rest;
};

/** Routes that change one account named by :username (the entry keeps the account as admins see it, never its hash). */
const ACCOUNT_ROUTES = new Set(['/api/accounts/:username', '/api/accounts/:username/password', '/api/accounts/:username/revoke']);
/** Imports (uploaded, committed, cancelled): kept as documents; the entry keeps the report without its rows. */
const IMPORT_ROUTES = new Set(['/api/imports', '/api/imports/:id/commit', '/api/imports/:id']);
/** Grid imports, recorded the same way (the report without its per-feature lists). */
const GRID_IMPORT_ROUTES = new Set(['/api/imports/grids', '/api/imports/grids/:id/commit', '/api/imports/grids/:id']);
const NOT_AUDITED = new Set(['/api/ambulances/positions', '/api/ambulances/:id/position', '/osmand', '/api/dispatch/recommend']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuditEntry {
  at: number;
  user: string | null;
  role: string | null;
  ip: string;
  method: string;
  route: string;
  url: string;
  status: number;
  subject: { collection: CollectionName | 'accounts' | 'imports'; id: string } | null;
  before: unknown;
  after: unknown;
  body: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditBefore?: unknown;
  }
}

const audited = (request: FastifyRequest) => {
  const route = request.routeOptions.url ?? '';
  return !READS.has(request.method) && (route.startsWith('/api/') || route === '/osmand') && !NOT_AUDITED.has(route);
};

/** The body as recorded: passwords never; an uploaded file by its size. */
function recordedBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) return { file: `${body.length} bytes` };
  if (!body || typeof body !== 'object') return body ?? null;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, /password/i.test(k) ? '***' : v]));
}

export default fp(
  async (app) => {
    const retentionMs = app.config.auditRetentionMs;
    app.addHook('preHandler', async (request) => {
      if (!audited(request)) return;
      const route = request.routeOptions.url ?? '';
      const collection = SUBJECT[route];
      const { id, username } = (request.params as { id?: string; username?: string } | undefined) ?? {};
      if (collection && id) request.auditBefore = (await app.store.get(collection, id)) ?? null;
      if (IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.imports.get(id)) ?? null);
      if (GRID_IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.gridImports.get(id)) ?? null);
      if (ACCOUNT_ROUTES.has(route) && username) {
        const user = await app.store.getUser(username);
        request.auditBefore = user ? accountView(user) : null;
      }
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const route = request.routeOptions.url ?? '';
      const signIn = route === '/api/auth/login';
      if (!audited(request) || (reply.statusCode >= 400 && !signIn)) return payload;
      let data: { id?: string; username?: string } | null = null;
      if (typeof payload === 'string' && !signIn) {
        try {
          data = (JSON.parse(payload) as { data?: { id?: string; username?: string } }).data ?? null;
        } catch {
          data = null;
        }
      }
      const id = (request.params as { id?: string } | undefined)?.id;
      const account = ACCOUNT_ROUTES.has(route) || route === '/api/accounts';
      const imported = IMPORT_ROUTES.has(route) || GRID_IMPORT_ROUTES.has(route);
      const collection = account ? 'accounts' : imported ? 'imports' : (SUBJECT[route] ?? CREATES[route]);
      const subjectId = account ? data?.username : SUBJECT[route] || (imported && id) ? id : data?.id;
      const body = request.body as { username?: string } | undefined;
      const entry: AuditEntry = {
        at: app.clock(),
        user: request.session?.username ?? (signIn ? (body?.username ?? null) : null),
        role: request.session?.role ?? null,
        ip: request.ip,
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        subject: collection && subjectId ? { collection, id: subjectId } : null,
        before: SUBJECT[route] || ACCOUNT_ROUTES.has(route) || imported ? (request.auditBefore ?? null) : null,
        after: signIn ? null : imported ? importSummary(data) : data,
        body: recordedBody(request.body),
      };
      try {
        await app.store.appendAudit(JSON.stringify(entry), entry.at, retentionMs);
      } catch (err) {
        request.log.error({ err, route }, 'could not write the audit entry');
      }
      return payload;
    });
  },
  { name: 'audit', dependencies: ['services', 'auth'] },
);
