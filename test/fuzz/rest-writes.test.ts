// Property-based fuzzing of every write route the app registers (app.routeRules, so a route added
// later is fuzzed too), signed in as a role the permission table allows: generated JSON bodies
// (hostile values, real keys with wrong or edge values, valid bodies with one thing changed, deep
// nesting, text that is not JSON, other content types), then generated path parameters and query
// strings. Every answer: never a 5xx, a 4xx is a JSON error without internals and leaves the store
// as it was, and the server still answers after each route. Fixed seeds: the same cases every run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteRule } from '../../server/plugins/auth.ts';
import { login } from '../helpers/server.ts';
import {
  callAndCheck,
  ENDS_SESSION,
  fillParams,
  notOurAccount,
  realIdsFor,
  roleFor,
  routeName,
  startFuzzServer,
  stillServing,
  Tally,
  writeRoutes,
  type FuzzServer,
} from './harness.ts';
import {
  bodyText,
  deeplyNested,
  encodePart,
  everyReplacement,
  HOSTILE_STRINGS,
  hostileKey,
  hostileString,
  hostileValue,
  keysIn,
  mutationOf,
  notJson,
  objectOfKeys,
} from './hostile-values.ts';
import { validBodies } from './valid-bodies.ts';

/**
 * Generated requests per route and property (fewer where each call must sign in afresh). A longer
 * hunt with other cases: FUZZ_SCALE=10 FUZZ_SEED=123 npx vitest run test/fuzz.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 7);
const RUNS = { bodies: 100 * SCALE, queries: 30 * SCALE, sessionEnding: 15 * SCALE };

describe('fuzzing the write routes', () => {
  let fz: FuzzServer;
  let routes: RouteRule[];
  const tally = new Tally();
  /** The valid calls made after each accepted generated one (not counted as generated). */
  const followUps = new Tally();
  /** The systematic sweep of edge values through every valid body. */
  const sweep = new Tally();
  let started = 0;
  beforeAll(async () => {
    fz = await startFuzzServer();
    routes = writeRoutes(fz.srv);
    started = performance.now();
  });
  afterAll(async () => {
    // The figure for the CI log (issue 7: report the number of generated cases run).
    if (tally.requests) console.log(`${tally.line('requests')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (sweep.requests) console.log(sweep.line('edge-value sweeps').replace('generated ', ''));
    await fz?.close();
  });

  /** The token for one call: the route's role, signed in afresh for a route that ends the session. */
  const tokenFor = async (route: RouteRule) => {
    const role = roleFor(route);
    if (!role) return null;
    return ENDS_SESSION.has(routeName(route)) ? login(fz.srv.url, role) : fz.tokens[role];
  };

  /** Runs a property per route, naming the route when one fails. */
  const eachRoute = async (property: (route: RouteRule) => Promise<void>) => {
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      try {
        await property(route);
      } catch (err) {
        throw new Error(`${routeName(route)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      await stillServing(fz);
    }
  };

  it('sees the store’s writes, so that it can tell a refused request wrote nothing', async () => {
    expect(fz.writes, 'the suite needs Redis keyspace notifications (CONFIG SET notify-keyspace-events)').not.toBeNull();
    const id = Object.keys((await fz.srv.store.snapshot()).collections.ambulances)[0]!;
    await fz.writes!.drain();
    expect((await fz.srv.app.updates.setAmbulanceStatus(id, 'offline')).ok).toBe(true);
    expect(await fz.writes!.drain()).toContain('hset e:ambulances');
  });

  it(
    'answers every generated body with a 2xx or a clean 4xx, and a 4xx changes nothing',
    async () => {
      await eachRoute(async (route) => {
        const name = routeName(route);
        const snapshot = await fz.srv.store.snapshot();
        const valid = validBodies(snapshot, Date.now())[name];
        const ids = realIdsFor(route.url, snapshot);
        const param = (key: string) =>
          fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(ids[key] ?? ['x'])) }, { weight: 1, arbitrary: hostileString.map(encodePart) }).filter(notOurAccount);
        const params = fc.record(Object.fromEntries(Object.keys(ids).map((n) => [n, param(n)])) as Record<string, fc.Arbitrary<string>>);
        const value = fc.oneof(
          { weight: valid === undefined ? 0 : 6, arbitrary: mutationOf(valid ?? {}) },
          { weight: 3, arbitrary: objectOfKeys(keysIn(valid)) },
          { weight: 2, arbitrary: hostileValue },
          { weight: 1, arbitrary: deeplyNested },
        );
        const body = fc.oneof({ weight: 9, arbitrary: value.map(bodyText) }, { weight: 1, arbitrary: notJson });
        const contentType = fc.oneof(
          { weight: 12, arbitrary: fc.constant('application/json') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              'application/json; charset=utf-8',
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/xml',
              'multipart/form-data',
              'application/json; charset=utf-16',
            ),
          },
          { weight: 1, arbitrary: fc.constant(null) },
        );
        const sessionEnding = ENDS_SESSION.has(name);
        await fc.assert(
          fc.asyncProperty(params, body, contentType, async (p, text, type) => {
            const path = fillParams(route.url, p);
            const { status } = await callAndCheck(fz, name, { method: route.method, path, token: await tokenFor(route), body: text, contentType: type }, tally);
            // What a generated body was let to write must not break the entity for the next valid call.
            if (status < 300 && valid !== undefined && !sessionEnding)
              await callAndCheck(fz, name, { method: route.method, path, token: await tokenFor(route), body: bodyText(valid) }, followUps);
          }),
          { numRuns: sessionEnding ? RUNS.sessionEnding : RUNS.bodies, seed: SEED },
        );
      });
      // Signed in as the table says, every route was reached (not all 401/403), and some bodies were accepted.
      expect([...tally.routes].filter((r) => !tally.reached.has(r))).toEqual([]);
      expect(tally.count(200, 300)).toBeGreaterThan(0);
    },
    120_000 * SCALE,
  );

  it(
    'answers generated path parameters and query strings with a 2xx or a clean 4xx',
    async () => {
      await eachRoute(async (route) => {
        const name = routeName(route);
        const snapshot = await fz.srv.store.snapshot();
        const valid = validBodies(snapshot, Date.now())[name] ?? {};
        const ids = realIdsFor(route.url, snapshot);
        // Raw segments as a client might send them, undecoded: bad escapes, traversal, separators.
        const raw = fc.constantFrom('%', '%zz', '%00', '%2F', '..', '.', '%2e%2e', 'a%20b', '%F0%9F', '~', "'", '"', 'x'.repeat(2000));
        const param = fc.oneof(fc.constantFrom(...Object.values(ids).flat(), 'x'), hostileString.map(encodePart), raw).filter(notOurAccount);
        const params = fc.record(Object.fromEntries(Object.keys(ids).map((n) => [n, param])) as Record<string, fc.Arbitrary<string>>);
        const queryKey = fc.oneof(
          hostileKey,
          fc.constantFrom('__proto__[polluted]', 'constructor[prototype][polluted]', '__proto__.polluted', 'id', 'lat', 'lon', 'timestamp', 'limit'),
        );
        const queryValue = fc.oneof(hostileString, fc.constantFrom(...HOSTILE_STRINGS.slice(0, 12)), fc.double().map(String));
        const query = fc.array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 6 }).map((pairs) =>
          // Mostly encoded as a browser would; sometimes raw (a hand-typed or hostile URL).
          pairs.map(([k, v, encode]) => (encode ? `${encodePart(k)}=${encodePart(v)}` : `${k}=${v}`.replace(/[#\s]/g, ''))).join('&'),
        );
        const sessionEnding = ENDS_SESSION.has(name);
        await fc.assert(
          fc.asyncProperty(params, query, fc.boolean(), async (p, q, withBody) => {
            const path = `${fillParams(route.url, p)}${q ? `?${q}` : ''}`;
            await callAndCheck(fz, name, { method: route.method, path, token: await tokenFor(route), body: withBody ? bodyText(valid) : undefined }, tally);
          }),
          { numRuns: sessionEnding ? RUNS.sessionEnding : RUNS.queries, seed: SEED + 1 },
        );
      });
      // Nothing reached Object.prototype through a body or a query string.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    120_000 * SCALE,
  );

  it('answers every value of a valid body replaced by each edge value with a 2xx or a clean 4xx', async () => {
    // Systematic where the generated bodies are random: every path of each known valid body, every edge value.
    await eachRoute(async (route) => {
      const name = routeName(route);
      const snapshot = await fz.srv.store.snapshot();
      const valid = validBodies(snapshot, Date.now())[name];
      if (valid === undefined || ENDS_SESSION.has(name)) return;
      const ids = realIdsFor(route.url, snapshot);
      const path = fillParams(route.url, Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.find(notOurAccount) ?? 'x'])));
      for (const body of everyReplacement(valid)) {
        const { status } = await callAndCheck(fz, name, { method: route.method, path, token: await tokenFor(route), body: bodyText(body) }, sweep);
        if (status < 300) await callAndCheck(fz, name, { method: route.method, path, token: await tokenFor(route), body: bodyText(valid) }, followUps);
      }
    });
    expect(sweep.requests).toBeGreaterThan(500);
  }, 120_000);
});
