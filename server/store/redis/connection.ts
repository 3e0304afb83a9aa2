// The store's command connection as its options ask for it: one Redis, a Sentinel-managed
// primary, or a cluster (where the key prefix must carry the board's hash tag).
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { hashTagOf } from '../../config.ts';

/** A Sentinel-managed primary: ioredis asks the Sentinels where it is, again after every lost connection. */
export interface RedisSentinelOptions {
  sentinels: { host: string; port: number }[];
  /** The name the Sentinels monitor the primary under. */
  name: string;
  sentinelPassword?: string;
  /** The primary's (and replicas') password. */
  password?: string;
}

/** A Redis Cluster: ioredis finds every shard from these nodes and sends each key's command to its own. */
export interface RedisClusterOptions {
  nodes: { host: string; port: number }[];
  /** The nodes' requirepass. */
  password?: string | undefined;
}

/** One Redis, a Sentinel-managed one or a cluster: the same commands (each board's keys in one slot on a cluster). */
export type Connection = Redis | Cluster;

export interface RedisStoreOptions {
  /** One Redis (redis://…); or `sentinel`, or `cluster`. */
  url?: string;
  sentinel?: RedisSentinelOptions | null;
  /** A cluster: the prefix must carry a hash tag ({620922}:), so the board's atomic steps stay in one slot. */
  cluster?: RedisClusterOptions | null;
  /**
   * Replicas that must hold a write before it is acknowledged, and every delta before it is
   * handed to subscribers (WAIT after the atomic step); 0 (default): the primary's word is enough.
   */
  waitReplicas?: number;
  /** How long a write waits for that confirmation before it is refused (StoreUnavailableError). */
  waitTimeoutMs?: number;
  /** CLIENT SETNAME of every connection (no spaces): which process holds which connection, in CLIENT LIST. */
  connectionName?: string;
  prefix?: string;
  eventRetention?: number;
  /** Where the store reports payloads it dropped and reader failures. */
  onError?: (message: string, error: unknown) => void;
}

export function createConnection(options: RedisStoreOptions): Connection {
  const common: RedisOptions = {
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    // Reconnect every second at most while Redis is away, so the board heals soon after it returns.
    retryStrategy: (times) => Math.min(times * 100, 1000),
    // A primary demoted under an open connection answers READONLY: reconnect (through the
    // Sentinels, to the new primary). The command itself fails (nothing was written) and its request gets a 503.
    reconnectOnError: (err) => (/^(READONLY|MASTERDOWN)/.test(err.message) ? 1 : false),
  };
  const sentinel = options.sentinel;
  if (sentinel) {
    // Every connection (commands, the stream reader, pub/sub: all duplicate() this one) finds
    // the primary through the Sentinels, and drops it as soon as they announce a new one.
    return new Redis({
      ...common,
      sentinels: sentinel.sentinels,
      name: sentinel.name,
      role: 'master',
      ...(sentinel.sentinelPassword ? { sentinelPassword: sentinel.sentinelPassword } : {}),
      ...(sentinel.password ? { password: sentinel.password } : {}),
      failoverDetector: true,
      sentinelRetryStrategy: (times) => Math.min(times * 100, 1000),
    });
  }
  if (options.cluster) {
    // Every key of the board carries one hash tag: one slot, so one shard holds the whole board
    // and each script, pipeline and MULTI runs there; other boards' tags spread over the other shards.
    if (!hashTagOf(options.prefix ?? ''))
      throw new Error(`RedisStore on a cluster needs a key prefix with a hash tag, e.g. {620922}: (got ${JSON.stringify(options.prefix ?? '')})`);
    if ((options.waitReplicas ?? 0) > 0) throw new Error("RedisStore: waitReplicas is not supported on a cluster (WAIT has no key to be routed to the board's shard by)");
    const { retryStrategy: _retry, enableOfflineQueue: _queue, reconnectOnError: _reconnect, ...node } = common;
    return new Cluster(options.cluster.nodes, {
      redisOptions: { ...node, ...(options.cluster.password ? { password: options.cluster.password } : {}) },
      enableOfflineQueue: true,
      clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
    });
  }
  if (options.url) return new Redis(options.url, common);
  throw new Error('RedisStore needs a url, a sentinel or a cluster configuration');
}
