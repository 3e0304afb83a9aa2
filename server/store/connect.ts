// The store the configuration asks for: one Redis (REDIS_URL), a Sentinel-managed primary
// (REDIS_SENTINELS, REDIS_MASTER_NAME), or, with neither, the in-process store. Kept here so
// that the process's start-up (main.ts) and the tools build it the same way.
import { hostname } from 'node:os';
import type { Config } from '../config.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore, type RedisStoreOptions } from './redis-store.ts';
import type { LiveStore } from './store.ts';

/** The RedisStore options for a configuration, or null when it names no Redis. */
export function redisStoreOptions(config: Config, onError?: (message: string, err: unknown) => void): RedisStoreOptions | null {
  if (!config.redisUrl && !config.redisSentinel) return null;
  return {
    ...(config.redisSentinel ? { sentinel: config.redisSentinel } : { url: config.redisUrl }),
    prefix: config.redisPrefix,
    eventRetention: config.eventRetention,
    waitReplicas: config.redisWait.replicas,
    waitTimeoutMs: config.redisWait.timeoutMs,
    connectionName: `board-${hostname().replace(/[^A-Za-z0-9_.-]/g, '')}-${process.pid}`,
    ...(onError ? { onError } : {}),
  };
}

export function createStore(config: Config, onError: (message: string, err: unknown) => void): LiveStore {
  const options = redisStoreOptions(config, onError);
  return options ? new RedisStore(options) : new MemoryStore({ eventRetention: config.eventRetention });
}
