// The production store: one part per concern (redis/*.ts) over one shared context (the
// connection, the key prefix, WAIT, scripts: redis/context.ts), composed into one LiveStore
// (compose.ts). Its keys are listed in README.md; each part's file names its own.
//
// On a Redis Cluster the prefix carries the board's hash tag ({620922}:): every key is in its
// one slot, so each script, MULTI and pipeline runs on the one shard holding the board.
//
// Under Sentinel with REDIS_WAIT_REPLICAS, nothing is acknowledged or fanned out before that
// many replicas hold it, so a failover cannot take back what a client or a screen was told.
import { ComposedStore } from './compose.ts';
import { RedisAccounts } from './redis/accounts.ts';
import { RedisAuditLog } from './redis/audit.ts';
import { VersionChannels } from './redis/channel.ts';
import { RedisClaims } from './redis/claims.ts';
import type { Connection, RedisStoreOptions } from './redis/connection.ts';
import { RedisContext } from './redis/context.ts';
import { RedisDocuments } from './redis/documents.ts';
import { RedisHistory } from './redis/history.ts';
import { RedisLiveState } from './redis/live-state.ts';
import { RedisSets } from './redis/sets.ts';
import { RedisTerminalStore } from './redis/terminals.ts';
import { RedisTownSets } from './redis/towns.ts';

export type { Connection, RedisClusterOptions, RedisSentinelOptions, RedisStoreOptions } from './redis/connection.ts';

export class RedisStore extends ComposedStore {
  /** The parts' shared connection, prefix and WAIT (tests and tools reach Redis through it). */
  readonly context: RedisContext;
  /** The command connection. */
  readonly redis: Connection;

  constructor(options: RedisStoreOptions) {
    const ctx = new RedisContext(options);
    const channels = new VersionChannels(ctx);
    const live = new RedisLiveState(ctx, options.eventRetention ?? 10_000);
    const accounts = new RedisAccounts(ctx);
    super({
      kind: 'redis',
      live,
      accounts,
      sets: new RedisSets(ctx, live, channels),
      towns: new RedisTownSets(ctx, channels),
      history: new RedisHistory(ctx),
      documents: new RedisDocuments(ctx),
      audit: new RedisAuditLog(ctx),
      claims: new RedisClaims(ctx),
      terminals: new RedisTerminalStore(ctx, channels),
      ping: () => ctx.ping(),
      close: async () => {
        live.close();
        accounts.close();
        channels.close();
        await ctx.close();
      },
    });
    this.context = ctx;
    this.redis = ctx.redis;
  }
}
