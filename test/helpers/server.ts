// Starts the app production runs (server/app.ts: demo accounts, the sample county) on a
// free port, with the store of the test's choice; optionally the simulator. What tests
// turn off is an option of buildApp (the simulated past, the periodic jobs: a test sees
// only what it writes), not another assembly.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULT_DEMO_PASSWORD, testConfig, type Config } from '../../server/config.ts';
import { loadCounty, type County } from '../../server/county/county.ts';
import type { Simulator } from '../../server/simulator/simulator.ts';
import type { LiveStore } from '../../server/store/store.ts';

/** The password of the demo accounts (testConfig's DEMO_PASSWORD). */
export const DEMO_PASSWORD = DEFAULT_DEMO_PASSWORD;

let countyPromise: Promise<County> | null = null;
export function sampleCounty(): Promise<County> {
  countyPromise ??= loadCounty('data/guazhou');
  return countyPromise;
}

export interface TestServerOptions {
  simulator?: boolean;
  /** A Redis to use instead of the in-process store. */
  redis?: { url: string; prefix: string };
  /** An existing store (shared between two app instances, say). */
  store?: LiveStore;
  config?: Partial<Config>;
  clock?: () => number;
  /** A county other than the sample (the sample with other terminal bindings, say). */
  county?: County;
  /** Deltas the store's event log keeps (default 10,000). */
  eventRetention?: number;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: LiveStore;
  simulator: Simulator | null;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const county = options.county ?? (await sampleCounty());
  // The store as production opens it (REDIS_URL, else in process), unless the test brings one.
  const config = testConfig({
    ...(options.redis ? { redisUrl: options.redis.url, redisPrefix: options.redis.prefix } : {}),
    ...(options.eventRetention ? { eventRetention: options.eventRetention } : {}),
    // The simulator four times as fast, ticking every 250 ms.
    ...(options.simulator ? { simulator: true, simulatorTickMs: 250, simulatorSpeed: 4 } : {}),
    ...options.config,
  });
  const clock = options.clock ?? (() => Date.now());
  const app = await buildApp({ config, store: options.store, county, clock, demoPast: false, jobs: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    store: app.store,
    simulator: app.simulator,
    close: () => app.close(),
  };
}

export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username} failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
