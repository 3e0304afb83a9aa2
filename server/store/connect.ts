// The store the configuration asks for: one Redis (REDIS_URL), a Sentinel-managed primary
// (REDIS_SENTINELS, REDIS_MASTER_NAME), a Redis Cluster (REDIS_CLUSTER), or, with none, the
// in-process store. Kept here so that the process's start-up (main.ts) and the tools build it the same way.
import { hostname } from 'node:os';
import { redisPrefixFor, type Config } from '../config.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore, type RedisStoreOptions } from './redis-store.ts';
import type { LiveStore } from './store.ts';

/**
 * The RedisStore options for a configuration, or null when it names no Redis. The county's
 * code makes the key prefix's hash tag on a cluster ({<code>}:, unless REDIS_PREFIX says otherwise).
 */
export function redisStoreOptions(config: Config, countyCode: string, onError?: (message: string, err: unknown) => void): RedisStoreOptions | null {
  if (!config.redisUrl && !config.redisSentinel && !config.redisCluster) return null;
  return {
    ...(config.redisCluster ? { cluster: config.redisCluster } : config.redisSentinel ? { sentinel: config.redisSentinel } : { url: config.redisUrl }),
    prefix: redisPrefixFor(config, countyCode),
    eventRetention: config.eventRetention,
    waitReplicas: config.redisWait.replicas,
    waitTimeoutMs: config.redisWait.timeoutMs,
    connectionName: `board-${hostname().replace(/[^A-Za-z0-9_.-]/g, '')}-${process.pid}`,
    ...(onError ? { onError } : {}),
  };
}

export function createStore(config: Config, countyCode: string, onError: (message: string, err: unknown) => void): LiveStore {
  const options = redisStoreOptions(config, countyCode, onError);
  return options ? new RedisStore(options) : new MemoryStore({ eventRetention: config.eventRetention });
}
