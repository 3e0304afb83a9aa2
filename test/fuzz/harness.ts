// What the fuzz suites share: the real app on a private redis-server, a signed-in token per role,
// the write routes as the app registers them (app.routeRules) with a role the permission table
// allows, real ids for path parameters, and the check every answer must pass: never a 5xx; a 4xx
// is JSON with an `error`, carries no stack trace or file path, and writes nothing to the store.
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { can } from '../../server/auth/permissions.ts';
import type { RouteRule } from '../../server/plugins/auth.ts';
import { Role, type CollectionName, type Snapshot } from '../../server/schema/index.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

export const ROLES = Role.options;
/** Writes that end the caller's own session: each fuzzed call signs in afresh. */
export const ENDS_SESSION = new Set(['POST /api/auth/logout']);
/** Open to all (no token). */
const PUBLIC = new Set(['POST /api/auth/login']);

/**
 * Every key the store writes, from Redis keyspace notifications: a refused request must write
 * none, whatever it is (live entities, accounts, sessions, documents), not only the live seq.
 * The audit stream is left out: a refused sign-in is recorded there on purpose.
 */
export class WriteWatch {
  private written: string[] = [];
  private constructor(private readonly sub: Redis) {}

  static async start(redis: TestRedis): Promise<WriteWatch> {
    // On a shared REDIS_URL this is harmless: the events of other prefixes are ignored below.
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'notify-keyspace-events', 'KEA');
    } finally {
      admin.disconnect();
    }
    const sub = new Redis(redis.url);
    const watch = new WriteWatch(sub);
    const audit = `${redis.prefix}audit`;
    sub.on('pmessage', (_pattern: string, channel: string, key: string) => {
      if (key.startsWith(redis.prefix) && key !== audit) watch.written.push(`${channel.split(':').pop()} ${key.slice(redis.prefix.length)}`);
    });
    await sub.psubscribe('__keyevent@*__:*');
    return watch;
  }

  /** The writes since the last call (a PING on the same connection comes back after every notification before it). */
  async drain(): Promise<string[]> {
    await this.sub.ping();
    const out = this.written;
    this.written = [];
    return out;
  }

  stop(): void {
    this.sub.disconnect();
  }
}

export interface FuzzServer {
  redis: TestRedis;
  srv: TestServer;
  /** Null where Redis refuses CONFIG SET (a managed REDIS_URL): then only the seq is compared, and the probe test says so. */
  writes: WriteWatch | null;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

export async function startFuzzServer(): Promise<FuzzServer> {
  const redis = await startRedis();
  // The fuzzers open hundreds of sockets on one session: its live limits (test/realtime/live-limits.test.ts) would refuse them.
  const srv = await startTestServer({ redis: { url: redis.url, prefix: redis.prefix }, config: { liveSocketsPerSession: 10_000, liveResumesPerMinute: 100_000 } });
  // Nothing else may write while we compare: no simulator, no periodic jobs (the helper turns them off).
  expect(srv.simulator).toBeNull();
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = await login(srv.url, role);
  const writes = await WriteWatch.start(redis).catch(() => null);
  return {
    redis,
    srv,
    writes,
    tokens,
    close: async () => {
      writes?.stop();
      await srv.close();
      await redis.stop();
    },
  };
}

export const routeName = (r: RouteRule) => `${r.method} ${r.url}`;

/** Every write path: non-GET routes under /api/ and the OsmAnd ingest. */
export function writeRoutes(srv: TestServer): RouteRule[] {
  return srv.app.routeRules.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && (r.url.startsWith('/api/') || r.url === '/osmand'));
}

/** The role to call a route as: the first the permission table allows; none for public routes. */
export function roleFor(route: RouteRule): Role | null {
  if (PUBLIC.has(routeName(route)) || !route.url.startsWith('/api/')) return null;
  if (route.action === null) return 'admin';
  return ROLES.find((role) => can(role, route.action!)) ?? null;
}

const kebabToCamel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Real ids for each path parameter: the collection named before it, else every id in the store. */
export function realIdsFor(url: string, snapshot: Snapshot): Record<string, string[]> {
  const segments = url.split('/');
  const everything = Object.values(snapshot.collections).flatMap((c) => Object.keys(c));
  const out: Record<string, string[]> = {};
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const collection = kebabToCamel(segments[i - 1] ?? '') as CollectionName;
    const ids = Object.keys(snapshot.collections[collection] ?? {});
    out[segment.slice(1)] = ids.length ? ids : everything;
  });
  return out;
}

/**
 * Path parameters never name the suite's own accounts: a generated, valid request to revoke,
 * disable or reset one would sign the fuzzer itself out (other accounts are fair game).
 */
export const notOurAccount = (value: string) => !(ROLES as readonly string[]).includes(value.toLowerCase());

export function fillParams(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? 'x');
}

/** A stack frame or a source path in an answer: internals leaked. */
const LEAK = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/server\/[\w/-]+\.ts|\.ts:\d+:\d+|\.js:\d+:\d+/;

export class Tally {
  requests = 0;
  readonly byStatus = new Map<number, number>();
  readonly routes = new Set<string>();

  /** Routes that answered something other than 401/403: the fuzz got past sign-in and permissions. */
  readonly reached = new Set<string>();

  add(route: string, status: number): void {
    this.requests++;
    this.routes.add(route);
    if (status !== 401 && status !== 403) this.reached.add(route);
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  count(from: number, to: number): number {
    let n = 0;
    for (const [status, k] of this.byStatus) if (status >= from && status < to) n += k;
    return n;
  }

  line(what: string): string {
    const statuses = [...this.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n.toLocaleString('en')}`);
    return `fuzz: ${this.requests.toLocaleString('en')} generated ${what} over ${this.routes.size} routes: ${this.count(500, 600)} 5xx, ${this.count(200, 300).toLocaleString('en')} 2xx, ${this.count(400, 500).toLocaleString('en')} 4xx (${statuses.join(' ')})`;
  }
}

export interface Call {
  method: string;
  path: string;
  token?: string | null;
  body?: string;
  contentType?: string | null;
}

/** What a refused request must leave as it was: the keys written (every live change bumps `seq`), or on a shared Redis the seq. */
const storeMark = async ({ srv, writes }: FuzzServer): Promise<string> => (writes ? (await writes.drain()).join('\n') : `seq ${await srv.store.seq()}`);

/**
 * Sends one request and checks the answer: no 5xx; a 4xx is a JSON error without internals
 * and writes nothing to the store. Returns the status and the parsed body (or the text).
 */
export async function callAndCheck(fz: FuzzServer, route: string, call: Call, tally: Tally): Promise<{ status: number; body: any }> {
  const { srv, writes } = fz;
  const before = await storeMark(fz);
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.body !== undefined && call.contentType !== null) headers['content-type'] = call.contentType ?? 'application/json';
  const res = await fetch(srv.url + call.path, { method: call.method, headers, body: call.body });
  const text = await res.text();
  const after = await storeMark(fz);
  tally.add(route, res.status);
  const what = `${call.method} ${call.path.slice(0, 200)} body ${String(call.body).slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  expect(text, what).not.toMatch(LEAK);
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: allowed for a 2xx (a CSV, an empty 204), not for an error
  }
  if (res.status >= 400) {
    expect(typeof body?.error, `not a JSON error: ${what}`).toBe('string');
    // A refused device with an identity no vehicle holds is recorded on purpose (an admin binds it from that list).
    const kept = writes
      ? after
          .split('\n')
          .filter((line) => line && !(call.path.startsWith('/osmand') && / terminals:unknown(-seen)?$/.test(line)))
          .join('\n')
      : after;
    expect(kept, `store changed on a ${res.status}: ${what}`).toBe(writes ? '' : before);
  }
  return { status: res.status, body };
}

/** The server still answers, and the token still works (re-signing in if a fuzzed call ended it). */
export async function stillServing(fz: FuzzServer): Promise<void> {
  const health = await fetch(`${fz.srv.url}/api/health`);
  expect(health.status).toBe(200);
  for (const role of ROLES) {
    const me = await fetch(`${fz.srv.url}/api/auth/me`, { headers: { authorization: `Bearer ${fz.tokens[role]}` } });
    if (me.status === 401) fz.tokens[role] = await login(fz.srv.url, role);
  }
}
