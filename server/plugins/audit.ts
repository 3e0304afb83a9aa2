// The audit log: every change made through the API (and every sign-in attempt) records
// who, when, from where, what (the route and the body, passwords left out), and the
// entity before and after, in an append-only stream in the store, kept AUDIT_RETENTION_DAYS.
// It is written before the answer goes out, so no acknowledged change lacks its entry:
// should the entry fail to be written, the answer is a 503, not a 2xx, and a sign-in's new
// session is ended (a change already saved stands, and the 503 says so; see below).
// Failed sign-ins from one address are folded (auth/failed-sign-ins.ts), and the stream is
// capped by length (AUDIT_MAX_ENTRIES) as well as by age.
// Positions (telemetry, thousands a second) are counted in /metrics, not audited; a
// recommendation changes nothing.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { CollectionName } from '../schema/index.ts';
import type { AuditEntry } from '../schema/stored.ts';
import { accountView } from '../auth/account-admin.ts';
import { viewOf } from '../terminals/bindings.ts';
import { FailedSignIns, type FailureSummary } from '../auth/failed-sign-ins.ts';

export type { AuditEntry } from '../schema/stored.ts';

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
  '/api/coverage/moves/:id/end': 'moveTasks',
};
/** Routes that create an entity (its id comes back in `data.id`). */
const CREATES: Record<string, CollectionName> = {
  '/api/coverage/moves': 'moveTasks',
  '/api/transfers': 'transfers',
  '/api/sample-batches': 'sampleBatches',
  '/api/testing-rounds': 'testingRounds',
};
/** An import's report as recorded: without its rows, which the import itself keeps. */
const importSummary = (report: unknown): unknown => {
  if (!report || typeof report !== 'object') return report ?? null;
  const {
    rows: _rows,
    columns: _columns,
    fields: _fields,
    errors: _errors,
    warnings: _warnings,
    overlaps: _overlaps,
    classes: _classes,
    dropped: _dropped,
    unmatched: _unmatched,
    ...rest
  } = report as Record<string, unknown>;
  return rest;
};

/** Routes that change one account named by :username (the entry keeps the account as admins see it, never its hash). */
const ACCOUNT_ROUTES = new Set(['/api/accounts/:username', '/api/accounts/:username/password', '/api/accounts/:username/revoke']);
/** Imports (uploaded, committed, cancelled): kept as documents; the entry keeps the report without its rows. */
const IMPORT_ROUTES = new Set(['/api/imports', '/api/imports/:id/commit', '/api/imports/:id']);
/** Grid imports, recorded the same way (the report without its per-feature lists). */
const GRID_IMPORT_ROUTES = new Set(['/api/imports/grids', '/api/imports/grids/:id/commit', '/api/imports/grids/:id']);
/** Road imports, likewise (the report without its per-class lists). */
const ROAD_IMPORT_ROUTES = new Set(['/api/imports/roads', '/api/imports/roads/:id/commit', '/api/imports/roads/:id']);
const TOWN_IMPORT_ROUTES = new Set(['/api/imports/towns', '/api/imports/towns/:id/commit', '/api/imports/towns/:id']);
/** Terminal bindings (bind, rebind, unbind): the entry keeps the vehicle's terminals before and after (an OsmAnd key never: only whether there is one). */
const TERMINAL_ROUTES = new Set(['/api/vehicles/:id/terminals', '/api/terminals/unknown/bind']);
const terminalSubject = (request: FastifyRequest): string | undefined =>
  (request.params as { id?: string } | undefined)?.id ?? (request.body as { ambulanceId?: unknown } | undefined)?.ambulanceId?.toString();
const NOT_AUDITED = new Set(['/api/ambulances/positions', '/api/ambulances/:id/position', '/osmand', '/api/dispatch/recommend']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

/** The entry for failed sign-ins folded into one: how many, from where, which usernames. */
const summaryEntry = (s: FailureSummary, at: number): AuditEntry => ({
  at,
  user: null,
  role: null,
  ip: s.ip,
  method: 'POST',
  route: '/api/auth/login',
  url: '/api/auth/login',
  status: s.status,
  subject: null,
  before: null,
  after: null,
  body: { repeatedFailures: s.count, usernames: s.usernames, since: s.since, until: s.until },
});

const AUDIT_DOWN = {
  error: 'audit-unavailable',
  message: '审计日志无法写入：此操作可能已生效但未记录，请联系管理员 (the audit log could not be written: the change may have been saved but is not recorded)',
};
const AUDIT_DOWN_SIGN_IN = { error: 'audit-unavailable', message: '审计日志无法写入，未登录，请稍后重试 (the audit log could not be written: not signed in)' };

export default fp(
  async (app) => {
    const retentionMs = app.config.auditRetentionMs;
    const append = (entry: AuditEntry) => {
      let json: string;
      try {
        json = JSON.stringify(entry);
      } catch {
        // A body nested past what JSON.stringify can recurse (a route that ignores its body, say):
        // the entry is kept without it rather than lost.
        json = JSON.stringify({ ...entry, body: { unrecorded: 'nested too deeply to record' } });
      }
      return app.store.appendAudit(json, entry.at, retentionMs, app.config.auditMaxEntries);
    };
    const failures = new FailedSignIns(app.config.loginAuditFoldMs);
    const writeSummaries = async (now: number) => {
      for (const summary of failures.due(now)) {
        await append(summaryEntry(summary, app.clock())).catch((err: unknown) => app.log.error({ err, ip: summary.ip }, 'could not write the failed sign-ins summary'));
      }
    };
    // Windows that closed with nobody trying again are written within half a window.
    const timer = setInterval(() => void writeSummaries(app.clock()), Math.max(1000, app.config.loginAuditFoldMs / 2));
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await writeSummaries(Number.POSITIVE_INFINITY);
    });
    app.addHook('preHandler', async (request) => {
      if (!audited(request)) return;
      const route = request.routeOptions.url ?? '';
      const collection = SUBJECT[route];
      const { id, username } = (request.params as { id?: string; username?: string } | undefined) ?? {};
      if (collection && id) request.auditBefore = (await app.store.get(collection, id)) ?? null;
      if (IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.imports.get(id)) ?? null);
      if (GRID_IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.gridImports.get(id)) ?? null);
      if (ROAD_IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.roadImports.get(id)) ?? null);
      if (TOWN_IMPORT_ROUTES.has(route) && id) request.auditBefore = importSummary((await app.townImports.get(id)) ?? null);
      const vehicle = TERMINAL_ROUTES.has(route) ? terminalSubject(request) : undefined;
      if (vehicle) {
        const stored = (await app.store.terminals.bindingSet()).vehicles.get(vehicle);
        request.auditBefore = viewOf(vehicle, stored, await app.store.get('ambulances', vehicle));
      }
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
      const imported = IMPORT_ROUTES.has(route) || GRID_IMPORT_ROUTES.has(route) || ROAD_IMPORT_ROUTES.has(route) || TOWN_IMPORT_ROUTES.has(route);
      const terminal = TERMINAL_ROUTES.has(route);
      const collection = terminal ? 'vehicle-terminals' : account ? 'accounts' : imported ? 'imports' : (SUBJECT[route] ?? CREATES[route]);
      const subjectId = terminal ? terminalSubject(request) : account ? data?.username : SUBJECT[route] || (imported && id) ? id : data?.id;
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
        before: SUBJECT[route] || ACCOUNT_ROUTES.has(route) || imported || terminal ? (request.auditBefore ?? null) : null,
        after: signIn ? null : imported ? importSummary(data) : data,
        body: recordedBody(request.body),
      };
      if (signIn && reply.statusCode >= 400) {
        await writeSummaries(entry.at);
        if (!failures.record(request.ip, body?.username ?? '', reply.statusCode, entry.at)) return payload;
      }
      try {
        await append(entry);
      } catch (err) {
        // No 2xx without its entry. A sign-in does not stand: its new session is ended. Any
        // other change was saved by its handler already (the entry records its outcome, so it
        // cannot be written first); the 503 says it may have been saved and is not recorded.
        request.log.error({ err, route }, 'could not write the audit entry: answering 503');
        if (signIn && reply.statusCode < 300 && typeof payload === 'string') {
          const token = /"token":"([^"]+)"/.exec(payload)?.[1];
          if (token) await app.store.deleteSession(token).catch((e: unknown) => request.log.error({ err: e }, 'could not end the unaudited session'));
        }
        reply.code(503).header('content-type', 'application/json; charset=utf-8');
        return JSON.stringify(signIn ? AUDIT_DOWN_SIGN_IN : AUDIT_DOWN);
      }
      return payload;
    });
  },
  { name: 'audit', dependencies: ['services', 'auth'] },
);
