// The fixture the API, auth and realtime files share, after fastify/demo's `build(t)`: the
// real app on a free port (on a private redis-server when `redis` is set), the roles signed
// in once, all started before the file's tests and closed after them. Read the fields inside
// the tests (they are set in beforeAll).
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../server/schema/index.ts';
import { startRedis, type TestRedis } from './redis.ts';
import { login, startTestServer, type TestServer, type TestServerOptions } from './server.ts';
import { startTwoProcesses, type TwoProcesses } from './process.ts';

export interface UseServerOptions extends Omit<TestServerOptions, 'redis'> {
  /** A private redis-server for the file (else the in-process store). */
  redis?: boolean;
  /** Roles signed in once before the tests (their tokens in `tokens`). */
  roles?: readonly Role[];
  /** App instances on the one store (two servers behind a load balancer): `servers`; `srv` is the first. */
  servers?: number;
}

export interface ServerEnv {
  readonly srv: TestServer;
  readonly servers: readonly TestServer[];
  /** The file's redis-server, or null for the in-process store. */
  readonly redis: TestRedis | null;
  /** A token per role asked for, signed in on the first server. */
  readonly tokens: Readonly<Record<string, string>>;
}

export function useServer(options: UseServerOptions = {}): ServerEnv {
  const { redis: withRedis = false, roles = [], servers: count = 1, ...serverOptions } = options;
  const env = { redis: null, servers: [], tokens: {} } as unknown as { srv: TestServer; servers: TestServer[]; redis: TestRedis | null; tokens: Record<string, string> };
  beforeAll(async () => {
    if (withRedis) env.redis = await startRedis();
    const redis = env.redis ? { url: env.redis.url, prefix: env.redis.prefix } : undefined;
    // One after the other: the first seeds an empty store (demo accounts, the county), the others find it seeded.
    for (let i = 0; i < count; i++) env.servers.push(await startTestServer({ ...serverOptions, redis }));
    env.srv = env.servers[0]!;
    for (const role of roles) env.tokens[role] = await login(env.srv.url, role);
  });
  afterAll(async () => {
    for (const srv of env.servers) await srv.close();
    await env.redis?.stop();
  });
  return env;
}

/** Two server processes on one private Redis (startTwoProcesses) for the file's tests. */
export function useTwoProcesses(): { readonly procs: TwoProcesses } {
  const env = {} as { procs: TwoProcesses };
  beforeAll(async () => {
    env.procs = await startTwoProcesses();
  });
  afterAll(async () => {
    await env.procs?.stop();
  });
  return env;
}
