// Starts the real app on a free port with the sample county, demo accounts,
// and the store of the test's choice; optionally the simulator.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { ensureDemoAccounts } from '../../server/auth/accounts.ts';
import { testConfig, type Config } from '../../server/config.ts';
import { loadCounty, type County } from '../../server/county/county.ts';
import { seatTownPointIds, seedIfEmpty } from '../../server/county/seed.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import type { LiveStore } from '../../server/store/store.ts';

export const DEMO_PASSWORD = 'guazhou-demo';

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
    ...options.config,
  });
  const clock = options.clock ?? (() => Date.now());
  const app = await buildApp({ config, store: options.store, county, clock });
  const { store } = app;
  const seat = county.towns.find((t) => t.seat)?.name ?? '';
  await ensureDemoAccounts(store, DEMO_PASSWORD, clock(), seatTownPointIds(county.seed, county.locator, seat));
  await seedIfEmpty(store, county.seed, county.locator, clock());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const simulator = options.simulator
    ? new Simulator({ store, updates: app.updates, batches: app.sampleBatches, rounds: app.testingRounds, roads: county.roads, clock, tickMs: 250, speed: 4 })
    : null;
  await simulator?.start();
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    store,
    simulator,
    close: async () => {
      await simulator?.stop();
      await app.close();
    },
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
