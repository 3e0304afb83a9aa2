// The production store. Keys (all under a configurable prefix):
//   seq                  the global sequence number (INCR)
//   e:<collection>       hash id → entity JSON
//   v:<collection>       hash id → how many writes the entity has had (its compare-and-set version)
//   geo:ambulances       GEO set of the ambulances' last fixes
//   events               stream of deltas, entry id `<seq>-0`, trimmed to ~retention
//   users                hash username → account JSON
//   session:<id>         session JSON with a TTL, under sessionId(token) (SHA-256): never the token itself
//   user-sessions:<name> sorted set of an account's session ids by expiry
//   once:<name>          start-up work already claimed by some process (seeding, demo accounts)
//   doc:<kind>           hash id → document JSON (doc:report: the daily reports by date; doc:report-index: their listings)
//   audit                stream of audit entries (who changed what), trimmed by age
//   grids:version        the committed grid set's version (absent: the county's grids file)
//   grids:geojson        the committed grid set (GeoJSON text); grids:meta: when and by whom
//   grids (channel)      pub/sub: a grid set was committed (the message is its version)
//   roads:version, roads:geojson, roads:meta, roads (channel): the committed road set, likewise
//   towns:version, towns:json, towns:meta, towns (channel): the committed towns and villages (store/town-set.ts)
//   jt808:reg:<phone>    a JT/T 808 terminal's registration (identity, hash of its auth code)
//   terminals:*, terminals (channel): vehicle terminal bindings and unknown terminals (redis-terminal-store.ts)
//   barrier (channel)    nobody listens: a PUBLISH there moves a connection's replication offset on (see barrier())
//
// On a Redis Cluster the prefix carries the board's hash tag ({620922}:): every key above is in its
// one slot, so each script, MULTI and pipeline runs on the one shard holding the board.
//
// Under Sentinel with REDIS_WAIT_REPLICAS, nothing is acknowledged or fanned out before that
// many replicas hold it, so a failover cannot take back what a client or a screen was told.
import { createHash, randomUUID } from 'node:crypto';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { hashTagOf } from '../config.ts';
import {
  Change,
  collectionNames,
  collectionSchemas,
  emptyCollections,
  type CollectionName,
  type Delta,
  type EntityOf,
  type LiveCollections,
  type Snapshot,
} from '../schema/index.ts';
import { z } from 'zod';
import { APPLY_SCRIPT, GRID_SET_ONLY_SCRIPT } from './redis-lua.ts';
import { keepConnected } from './keep-connected.ts';
import { redisTownSets, type StoredTownSet } from './town-set.ts';
import { KnownEntities, type Expectation, type Known } from './known-entities.ts';
import { sessionId, sessionValid, StoreUnavailableError } from './store.ts';
import { RedisTerminalStore } from './redis-terminal-store.ts';
import type {
  AnyEntity,
  DeltaListener,
  EntityKey,
  LiveStore,
  Revoked,
  RevokedListener,
  StoredGridSet,
  StoredRoadSet,
  StoredSession,
  StoredTerminalRegistration,
  StoredUser,
} from './store.ts';

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

const TerminalRegistrationSchema = z.object({ phone: z.string(), codeHash: z.string(), terminalId: z.string(), plate: z.string(), registeredAt: z.number() });

const StoredUserSchema = z.object({
  username: z.string(),
  role: z.enum(['admin', 'commander', 'dispatcher', 'field', 'wall']),
  passwordHash: z.string(),
  salt: z.string(),
  disabled: z.boolean(),
  createdAt: z.number(),
  samplingPoints: z.array(z.string()).optional(),
  version: z.number().int().optional(),
  epoch: z.number().int().optional(),
});
const StoredSessionSchema = z.object({
  username: z.string(),
  role: StoredUserSchema.shape.role,
  expiresAt: z.number(),
  epoch: z.number().int().optional(),
});
/** Writes an account only if it is still the JSON that was read ('' : none). KEYS: users. ARGV: username, expectedJson, newJson. */
const USER_CAS_SCRIPT = `
if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;
/** A session and its account in one round trip. KEYS: session:<id>, users. Returns [sessionJson, userJson or nil]. */
const SESSION_SCRIPT = `
local s = redis.call('GET', KEYS[1])
if not s then return nil end
local ok, session = pcall(cjson.decode, s)
if not ok or type(session) ~= 'table' or type(session.username) ~= 'string' then return { s, false } end
return { s, redis.call('HGET', KEYS[2], session.username) }
`;
const ChangesSchema = z.array(Change).min(1);
const GridSetMeta = z.object({ committedAt: z.number(), by: z.string() });
/** Plain keys written with a delta, a message published once it is written, and the seq the store must still be at. */
interface ApplyExtra {
  sets: [string, string][];
  publish: [string, string] | null;
  seq?: number;
}
/** EVAL's arguments after the script: numkeys, the keys, then ARGV. */
type ApplyCall = [numKeys: number, ...keysThenArgs: (string | number)[]];
const MAX_UPDATE_ATTEMPTS = 100;
const AT_FIELD = Buffer.from('at');
const noop = () => {};

export class RedisStore implements LiveStore {
  readonly kind = 'redis' as const;
  readonly terminals: RedisTerminalStore;
  readonly redis: Connection;
  private readonly prefix: string;
  private readonly retention: number;
  private readonly onError: (message: string, error: unknown) => void;
  private readonly sha = createHash('sha1').update(APPLY_SCRIPT).digest('hex');
  private readonly listeners = new Set<DeltaListener>();
  private readonly resetListeners = new Set<() => void>();
  private reader: Connection | null = null;
  private readerStarted: Promise<void> | null = null;
  private readerLastId = '0-0';
  /** How often the reader's connection was lost (its loop checks the stream after each). */
  private readerReconnections = 0;
  private closed = false;
  /** Changes this process wrote, by seq, until its own reader hands them on (bounded). */
  private readonly written = new Map<number, { at: number; changes: Change[] }>();
  /** Scripts of this process not yet answered: the reader waits for them before decoding an event it does not know. */
  private readonly applying = new Set<Promise<number>>();
  /** The last version of each entity this process wrote or read, with the entity it is (see remember()). */
  private readonly known = new KnownEntities();
  private readonly waitReplicas: number;
  private readonly waitTimeoutMs: number;

  constructor(options: RedisStoreOptions) {
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
      this.redis = new Redis({
        ...common,
        sentinels: sentinel.sentinels,
        name: sentinel.name,
        role: 'master',
        ...(sentinel.sentinelPassword ? { sentinelPassword: sentinel.sentinelPassword } : {}),
        ...(sentinel.password ? { password: sentinel.password } : {}),
        failoverDetector: true,
        sentinelRetryStrategy: (times) => Math.min(times * 100, 1000),
      });
    } else if (options.cluster) {
      // Every key of the board carries one hash tag: one slot, so one shard holds the whole board
      // and each script, pipeline and MULTI runs there; other boards' tags spread over the other shards.
      if (!hashTagOf(options.prefix ?? ''))
        throw new Error(`RedisStore on a cluster needs a key prefix with a hash tag, e.g. {620922}: (got ${JSON.stringify(options.prefix ?? '')})`);
      if ((options.waitReplicas ?? 0) > 0) throw new Error("RedisStore: waitReplicas is not supported on a cluster (WAIT has no key to be routed to the board's shard by)");
      const { retryStrategy: _retry, enableOfflineQueue: _queue, reconnectOnError: _reconnect, ...node } = common;
      this.redis = new Cluster(options.cluster.nodes, {
        redisOptions: { ...node, ...(options.cluster.password ? { password: options.cluster.password } : {}) },
        enableOfflineQueue: true,
        clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
      });
    } else if (options.url) {
      this.redis = new Redis(options.url, common);
    } else {
      throw new Error('RedisStore needs a url, a sentinel or a cluster configuration');
    }
    this.waitReplicas = options.waitReplicas ?? 0;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 500;
    this.prefix = options.prefix ?? 'epi:';
    this.retention = options.eventRetention ?? 10_000;
    this.onError = options.onError ?? (() => {});
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    this.redis.on('error', (err) => this.onError('redis connection error', err));
    // A lost connection may mean another Redis (a failover, a restart from an older file):
    // versions there may have gone back, so what this process knew of them is dropped.
    this.redis.on('close', () => this.known.clear());
    this.keepConnected(this.redis, 'command', () => this.known.clear());
    this.terminals = new RedisTerminalStore({
      redis: this.redis,
      key: (name) => this.key(name),
      onSet: (channel, stored, listener) => this.onSet(channel, stored, listener),
      onError: this.onError,
      confirmed: () => this.confirmed(),
    });
  }

  /** A connection ioredis gives up for good (keep-connected.ts) is connected again until close(). */
  private keepConnected(conn: Connection, what: string, onRestart?: () => void): void {
    keepConnected(conn, { what, closing: () => this.closed, onError: this.onError, ...(onRestart ? { onRestart } : {}) });
  }

  /** A connection of its own (blocking reads, pub/sub), to the same Redis, Sentinels or cluster. */
  private duplicate(): Connection {
    return this.redis instanceof Cluster ? this.redis.duplicate() : this.redis.duplicate();
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  /** WAIT's answer checked: fewer replicas than asked hold this connection's writes → StoreUnavailableError. */
  private checkAcks(acks: unknown): void {
    if (Number(acks) >= this.waitReplicas) return;
    throw new StoreUnavailableError(`not confirmed by ${this.waitReplicas} replica(s) within ${this.waitTimeoutMs} ms (${Number(acks)} did)`);
  }

  /** The WAIT under way on the command connection, if any (it blocks the connection until answered). */
  private confirming: Promise<void> | null = null;
  /** The one queued behind it, shared by every write answered meanwhile. */
  private queuedConfirm: Promise<void> | null = null;

  /**
   * Every write this connection has had answered is held by waitReplicas replicas (a no-op
   * without WAIT). Group commit: one WAIT at a time, and all the writes answered while it is
   * under way share the next one, so concurrent requests do not queue one WAIT each.
   */
  private confirmed(conn: Connection = this.redis): Promise<void> {
    if (this.waitReplicas === 0) return Promise.resolve();
    if (conn !== this.redis) return conn.wait(this.waitReplicas, this.waitTimeoutMs).then((acks) => this.checkAcks(acks));
    if (!this.confirming) return this.inFlight(this.redis.wait(this.waitReplicas, this.waitTimeoutMs));
    this.queuedConfirm ??= this.confirming.then(noop, noop).then(() => {
      this.queuedConfirm = null;
      return this.confirmed();
    });
    return this.queuedConfirm;
  }

  /** Marks a WAIT sent on the command connection as the one under way until it is answered. */
  private inFlight(acks: Promise<unknown>): Promise<void> {
    const flight = acks.then((n) => this.checkAcks(n));
    this.confirming = flight;
    void flight.then(noop, noop).then(() => {
      if (this.confirming === flight) this.confirming = null;
    });
    return flight;
  }

  /**
   * Everything the primary held when this is called is held by waitReplicas replicas: a
   * PUBLISH is propagated like a write, after all that came before it, so WAIT behind it on
   * the same connection covers the writes of every process, not only this connection's.
   */
  private async barrier(conn: Connection = this.redis): Promise<void> {
    if (this.waitReplicas === 0) return;
    const results = (await conn.pipeline().publish(this.key('barrier'), '').wait(this.waitReplicas, this.waitTimeoutMs).exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    this.checkAcks(results[1]?.[1]);
  }

  async snapshot(): Promise<Snapshot> {
    // MULTI makes the reads one atomic step: the collections are exactly those at `seq`.
    const multi = this.redis.multi().get(this.key('seq'));
    for (const name of collectionNames) multi.hgetall(this.key(`e:${name}`));
    const results = await multi.exec();
    if (!results) throw new Error('snapshot transaction aborted');
    // Shown to screens: only once a failover can no longer take it back.
    await this.barrier();
    const seq = Number(results[0]?.[1] ?? 0);
    const collections = emptyCollections();
    collectionNames.forEach((name, i) => {
      const hash = (results[i + 1]?.[1] ?? {}) as Record<string, string>;
      const target = collections[name] as Record<string, unknown>;
      for (const [id, json] of Object.entries(hash)) {
        const entity = this.decodeEntity(name, json);
        if (entity) target[id] = entity;
      }
    });
    return { seq, at: Date.now(), collections: collections as LiveCollections };
  }

  private decodeEntity<C extends CollectionName>(collection: C, json: string): EntityOf<C> | undefined {
    try {
      const parsed = collectionSchemas[collection].safeParse(JSON.parse(json));
      if (parsed.success) return parsed.data as EntityOf<C>;
      this.onError(`dropped malformed ${collection} entity`, parsed.error);
    } catch (err) {
      this.onError(`dropped unparsable ${collection} entity`, err);
    }
    return undefined;
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<EntityOf<C> | undefined> {
    const json = await this.redis.hget(this.key(`e:${collection}`), id);
    return json === null ? undefined : this.decodeEntity(collection, json);
  }

  async apply(changes: Change[], at: number): Promise<Delta> {
    const seq = await this.runApply(changes, at, []);
    return { seq, at, changes };
  }

  update<C extends CollectionName>(collection: C, id: string, update: (current: EntityOf<C> | undefined) => Change[] | null, at: number): Promise<Delta | null> {
    return this.readModifyWrite(null, [{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at) as Promise<Delta | null>;
  }

  updateMany(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number): Promise<Delta | null> {
    return this.readModifyWrite(null, keys, update, at) as Promise<Delta | null>;
  }

  updateOnce<C extends CollectionName>(
    once: { key: string; ttlMs: number },
    collection: C,
    id: string,
    update: (current: EntityOf<C> | undefined) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'> {
    return this.readModifyWrite(once, [{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at);
  }

  private async readModifyWrite(
    once: { key: string; ttlMs: number } | null,
    keys: EntityKey[],
    update: (current: (AnyEntity | undefined)[]) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'> {
    // A repeat is answered as done only once what it repeats is confirmed (it may be a write that timed out in WAIT).
    if (once && (await this.redis.exists(this.key(`op:${once.key}`)))) return this.barrier().then(() => 'duplicate' as const);
    // First try on what this process last wrote or read of each entity, without reading:
    // the script's compare-and-set refuses it if any was written since. A stream of fixes
    // for units this process keeps writing then costs one round trip, not two. Only a
    // write is checked so: "nothing to change" is decided again on what is stored.
    const known = keys.map((k) => this.known.get(k.collection, k.id));
    if (known.every((e) => e !== undefined)) {
      const outcome = await this.tryUpdate(once, keys, update, at, known as Known[]);
      if (outcome !== 'conflict' && outcome !== null) return outcome;
    }
    // Optimistic concurrency: the script writes only if no entity was written since it was read.
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      // Each version before its entity, in one pipeline: an entity written between the two
      // reads is newer than the version read, and the script refuses the write.
      const read = this.redis.pipeline();
      for (const k of keys) read.hget(this.key(`v:${k.collection}`), k.id).hget(this.key(`e:${k.collection}`), k.id);
      const replies = ((await read.exec()) ?? []).map(([err, reply]) => {
        if (err) throw err;
        return reply as string | null;
      });
      const current = keys.map((k, i): Known => {
        const json = replies[2 * i + 1];
        const entity = json == null ? undefined : this.decodeEntity(k.collection, json);
        return this.known.set(k.collection, k.id, Number(replies[2 * i] ?? 0), entity);
      });
      const outcome = await this.tryUpdate(once, keys, update, at, current);
      if (outcome !== 'conflict') return outcome;
      // Someone wrote one of them meanwhile: back off a random while so contenders spread out.
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 2));
    }
    throw new Error(`update of ${keys.map((k) => `${k.collection}/${k.id}`).join(', ')} kept conflicting`);
  }

  /** One compare-and-set: the update computed on `current`, written only if no entity's version moved since. */
  private async tryUpdate(
    once: { key: string; ttlMs: number } | null,
    keys: EntityKey[],
    update: (current: (AnyEntity | undefined)[]) => Change[] | null,
    at: number,
    current: Known[],
  ): Promise<Delta | null | 'duplicate' | 'conflict'> {
    const changes = update(current.map((c) => c.entity));
    if (!changes || changes.length === 0) return null;
    const expect = keys.map((k, i): Expectation => [k.collection, k.id, current[i]!.version]);
    let seq: number;
    try {
      seq = await this.runApply(changes, at, expect, once);
    } catch (err) {
      // Written or not, nobody knows (a WAIT timed out, the connection went): read next time.
      for (const k of keys) this.known.forget(k.collection, k.id);
      throw err;
    }
    if (seq === -2) return this.barrier().then(() => 'duplicate' as const);
    if (seq > 0) return { seq, at, changes };
    for (const k of keys) this.known.forget(k.collection, k.id);
    return 'conflict';
  }

  private async runApply(
    changes: Change[],
    at: number,
    expect: Expectation[],
    once: { key: string; ttlMs: number } | null = null,
    extra: ApplyExtra = { sets: [], publish: null },
  ): Promise<number> {
    if (changes.length === 0) throw new Error('apply: no changes');
    // Every key the script touches, declared (redis-lua.ts): one slot on a cluster.
    const keys: string[] = [this.key('seq'), this.key('events'), this.key('geo:ambulances'), once ? this.key(`op:${once.key}`) : this.key('seq')];
    const args: (string | number)[] = [
      this.retention,
      at,
      expect.length,
      changes.length,
      once ? '1' : '',
      once ? Math.max(1, Math.round(once.ttlMs)) : 0,
      extra.sets.length,
      extra.publish ? this.key(extra.publish[0]) : '',
      extra.publish?.[1] ?? '',
      extra.seq ?? '',
    ];
    for (const [collection, id, version] of expect) {
      keys.push(this.key(`v:${collection}`));
      args.push(id, version);
    }
    // Each entity is serialised once: the script writes it to its hash and into the event.
    for (const change of changes) {
      keys.push(this.key(`v:${change.collection}`), this.key(`e:${change.collection}`));
      if (change.op === 'upsert') {
        const fix = change.collection === 'ambulances' ? change.entity.fix : null;
        args.push('upsert', change.collection, change.entity.id, JSON.stringify(change.entity), fix?.lng ?? '', fix?.lat ?? '');
      } else {
        args.push('remove', change.collection, change.id, JSON.stringify(change), '', '');
      }
    }
    for (const [key, value] of extra.sets) {
      keys.push(this.key(key));
      args.push(value);
    }
    const call: ApplyCall = [keys.length, ...keys, ...args];
    // Kept for this process's own reader until the script answers: its event may reach
    // the reader (another connection) before the answer reaches us.
    const pending = this.readerStarted ? { at, changes } : null;
    // Confirmed by a replica first where the board waits for one (a seq a failover took back
    // is written again with other changes).
    const inFlight = this.waitReplicas > 0 ? this.applyConfirmed(call) : this.evalApply(call).then(Number);
    if (pending) this.applying.add(inFlight);
    let seq: number;
    try {
      seq = await inFlight;
    } finally {
      if (pending) this.applying.delete(inFlight);
    }
    if (seq > 0) {
      // Kept for this process's own reader, only while it has one to hand them to.
      if (pending) {
        this.written.set(seq, pending);
        if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value!);
      }
      this.known.written(changes, expect);
    }
    return seq;
  }

  private async evalApply(call: ApplyCall): Promise<unknown> {
    try {
      return await this.redis.evalsha(this.sha, ...call);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return this.redis.eval(APPLY_SCRIPT, ...call);
    }
  }

  /**
   * The atomic step, then WAIT. With no WAIT under way, both in one round trip (WAIT right
   * behind the script on the same connection); else the write shares the next WAIT. A change
   * the replicas did not confirm in time throws StoreUnavailableError: it may still be on the
   * primary, so a client retries it with the same opId (applied exactly once).
   */
  private async applyConfirmed(call: ApplyCall): Promise<number> {
    if (this.confirming) {
      const seq = Number(await this.evalApply(call));
      if (seq > 0) await this.confirmed();
      return seq;
    }
    const sent = this.redis
      .pipeline()
      .evalsha(this.sha, ...call)
      .wait(this.waitReplicas, this.waitTimeoutMs)
      .exec();
    const flight = this.inFlight(
      sent.then((results) => {
        const [err, acks] = results?.[1] ?? [new Error('WAIT was not answered'), 0];
        if (err) throw err;
        return acks;
      }),
    );
    const [scriptErr, result] = (await sent.catch((err: unknown) => [[err, null]]))?.[0] ?? [new Error('the apply script was not answered'), null];
    if (scriptErr) {
      if (!(scriptErr instanceof Error) || !scriptErr.message.includes('NOSCRIPT')) throw scriptErr;
      const seq = Number(await this.redis.eval(APPLY_SCRIPT, ...call));
      if (seq > 0) await this.confirmed();
      return seq;
    }
    // Also when nothing was written (a conflict, a repeat): the replicas' answer says whether
    // writing can work now, so a conflict loop does not wait out the timeout on every attempt.
    await flight;
    return Number(result);
  }

  async epoch(): Promise<string> {
    await this.redis.set(this.key('epoch'), randomUUID(), 'NX');
    const epoch = (await this.redis.get(this.key('epoch')))!;
    await this.barrier();
    return epoch;
  }

  async seq(): Promise<number> {
    return Number((await this.redis.get(this.key('seq'))) ?? 0);
  }

  async deltasSince(after: number): Promise<Delta[] | null> {
    const current = await this.seq();
    if (after >= current) return [];
    const entries = await this.redis.xrange(this.key('events'), `${after + 1}-0`, '+');
    await this.barrier();
    const deltas = entries.flatMap(([id, fields]) => this.decodeEntry(id, fields));
    // The stream was trimmed past `after`: the caller must fall back to a snapshot.
    if (deltas[0]?.seq !== after + 1) return null;
    return deltas;
  }

  /**
   * An event this process wrote itself is handed on as the changes it wrote (already
   * validated before writing): no parsing and re-validating its own JSON. Others' are
   * decoded. The event of a script still unanswered may be its own: those are awaited first.
   */
  private async ownOrDecoded(id: string, fields: () => string[]): Promise<Delta[]> {
    const seq = Number(id.split('-')[0]);
    if (!this.written.has(seq) && this.applying.size > 0) await Promise.allSettled([...this.applying]);
    const own = this.written.get(seq);
    if (!own) return this.decodeEntry(id, fields());
    this.written.delete(seq);
    return [{ seq, at: own.at, changes: own.changes }];
  }

  private decodeEntry(id: string, fields: string[]): Delta[] {
    try {
      const seq = Number(id.split('-')[0]);
      const at = Number(fields[fields.indexOf('at') + 1]);
      const changes = ChangesSchema.parse(JSON.parse(fields[fields.indexOf('changes') + 1] ?? ''));
      return [{ seq, at, changes }];
    } catch (err) {
      this.onError(`dropped malformed event ${id}`, err);
      return [];
    }
  }

  async subscribe(listener: DeltaListener, onReset?: () => void): Promise<() => void> {
    this.readerStarted ??= this.startReader();
    await this.readerStarted;
    this.listeners.add(listener);
    if (onReset) this.resetListeners.add(onReset);
    return () => {
      this.listeners.delete(listener);
      if (onReset) this.resetListeners.delete(onReset);
    };
  }

  /** One blocking reader per process: it tails the event stream and fans deltas out in order. */
  private async startReader(): Promise<void> {
    const reader = this.duplicate();
    reader.on('error', (err) => this.onError('redis reader connection error', err));
    // ioredis sends a read cut by a lost connection again once it reconnects; its answer
    // is dropped (the reconnection count moved on) until the reader has checked that the
    // stream it returned to is the one it left. (autoResendUnfulfilledCommands: false
    // would leave that read unanswered for ever in ioredis 6.)
    reader.on('reconnecting', () => this.readerReconnections++);
    this.keepConnected(reader, 'event stream reader', () => this.readerReconnections++);
    this.reader = reader;
    // Starting from a seq a failover could take back would skip the other change given that seq.
    // (Best effort: a process starting while no replica answers still starts, as it would without WAIT.)
    const seq = await this.seq();
    await this.barrier().catch((err: unknown) => this.onError('the stream reader starts from a seq no replica confirmed yet', err));
    this.readerLastId = `${seq}-0`;
    void this.readLoop(reader);
  }

  /**
   * After a lost connection: is the last event this reader delivered still in the
   * stream, unchanged? Not so when Redis restarted without its last writes or empty;
   * then the reader starts again from the store's present seq and tells the
   * subscribers to reload (nothing they hold can be trusted to match).
   */
  private async sameStream(reader: Connection, lastId: string, lastAt: string | null): Promise<boolean> {
    const lastSeq = Number(lastId.split('-')[0]);
    if (lastAt === null) return Number((await reader.get(this.key('seq'))) ?? 0) >= lastSeq;
    const [entry] = await reader.xrange(this.key('events'), lastId, lastId);
    return !!entry && entry[1][entry[1].indexOf('at') + 1] === lastAt;
  }

  private async readLoop(reader: Connection): Promise<void> {
    let lastId = this.readerLastId;
    /** The `at` field of the event at lastId (null: none delivered yet). */
    let lastAt: string | null = null;
    /** The reconnections already checked for; -1 forces a check (after a failed read). */
    let checked = this.readerReconnections;
    while (!this.closed) {
      try {
        if (checked !== this.readerReconnections) {
          checked = this.readerReconnections;
          if (!(await this.sameStream(reader, lastId, lastAt))) {
            const seq = Number((await reader.get(this.key('seq'))) ?? 0);
            this.onError(`the event stream lost its place (was at ${lastId}, the store is at ${seq}): subscribers reload`, null);
            lastId = `${seq}-0`;
            lastAt = null;
            this.written.clear();
            this.known.clear();
            for (const reset of this.resetListeners) reset();
          }
        }
        // As bytes: the changes of this process's own events are never turned into text.
        const result = await reader.xreadBuffer('COUNT', 500, 'BLOCK', 1000, 'STREAMS', this.key('events'), lastId);
        if (!result || checked !== this.readerReconnections) continue;
        // Handed on only once replicas hold them (else read again from lastId): a screen never
        // sees a seq that a failover can take back and give to other changes.
        await this.barrier(reader);
        if (checked !== this.readerReconnections) continue;
        for (const [, entries] of result) {
          for (const [idBytes, fieldBytes] of entries) {
            const id = idBytes.toString();
            lastId = id;
            const atIndex = fieldBytes.findIndex((f) => f.equals(AT_FIELD));
            lastAt = fieldBytes[atIndex + 1]?.toString() ?? null;
            for (const delta of await this.ownOrDecoded(id, () => fieldBytes.map((f) => f.toString()))) {
              for (const listener of this.listeners) listener(delta);
            }
          }
        }
      } catch (err) {
        if (this.closed) break;
        checked = -1;
        this.onError('event stream read failed; retrying', err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async ambulancesNear(lng: number, lat: number, radiusMeters: number): Promise<string[]> {
    const ids = await this.redis.geosearch(this.key('geo:ambulances'), 'FROMLONLAT', lng, lat, 'BYRADIUS', radiusMeters, 'm', 'ASC');
    return ids as string[];
  }

  async getUser(username: string): Promise<StoredUser | undefined> {
    const json = await this.redis.hget(this.key('users'), username);
    if (json === null) return undefined;
    const parsed = StoredUserSchema.safeParse(JSON.parse(json));
    if (!parsed.success) this.onError(`dropped malformed account ${username}`, parsed.error);
    return parsed.success ? parsed.data : undefined;
  }

  async putUser(user: StoredUser): Promise<void> {
    await this.redis.hset(this.key('users'), user.username, JSON.stringify(user));
    await this.confirmed();
  }

  async addUser(user: StoredUser): Promise<boolean> {
    const added = (await this.redis.hsetnx(this.key('users'), user.username, JSON.stringify(user))) === 1;
    await this.confirmed();
    return added;
  }

  async updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null): Promise<StoredUser | null | 'conflict'> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.key('users'), username);
      const current = json === null ? undefined : this.decodeUser(username, json);
      const next = update(current && { ...current });
      if (!next) return null;
      const written: StoredUser = { ...next, username, version: (current?.version ?? 0) + 1 };
      if (Number(await this.script(USER_CAS_SCRIPT, 1, this.key('users'), username, json ?? '', JSON.stringify(written))) === 1) {
        await this.confirmed();
        return written;
      }
      // Written meanwhile (another admin, another process): back off a random while and compute again.
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 2));
    }
    return 'conflict';
  }

  private readonly scriptShas = new Map<string, string>();

  /** A small Lua script by its SHA (sent whole only when Redis does not have it yet). */
  private async script(source: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    let sha = this.scriptShas.get(source);
    if (!sha) this.scriptShas.set(source, (sha = createHash('sha1').update(source).digest('hex')));
    try {
      return await this.redis.evalsha(sha, numKeys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return this.redis.eval(source, numKeys, ...args);
    }
  }

  private decodeUser(username: string, json: string): StoredUser | undefined {
    try {
      const parsed = StoredUserSchema.safeParse(JSON.parse(json));
      if (parsed.success) return parsed.data;
      this.onError(`dropped malformed account ${username}`, parsed.error);
    } catch (err) {
      this.onError(`dropped unparsable account ${username}`, err);
    }
    return undefined;
  }

  async countUsers(): Promise<number> {
    return this.redis.hlen(this.key('users'));
  }

  async listUsers(): Promise<StoredUser[]> {
    const all = await this.redis.hgetall(this.key('users'));
    return Object.keys(all)
      .sort()
      .flatMap((username) => {
        const parsed = StoredUserSchema.safeParse(JSON.parse(all[username]!));
        if (!parsed.success) this.onError(`dropped malformed account ${username}`, parsed.error);
        return parsed.success ? [parsed.data] : [];
      });
  }

  async putSession(session: StoredSession, now: number): Promise<void> {
    const ttl = Math.max(1, session.expiresAt - now);
    const { token, ...kept } = session;
    const id = sessionId(token);
    // Each account's sessions, by expiry, so that revoking an account finds them all.
    const index = this.key(`user-sessions:${session.username}`);
    await this.redis
      .multi()
      .set(this.key(`session:${id}`), JSON.stringify(kept), 'PX', ttl)
      .zremrangebyscore(index, '-inf', now)
      .zadd(index, session.expiresAt, id)
      .exec();
    await this.confirmed();
  }

  async getSession(token: string, now: number): Promise<StoredSession | undefined> {
    const found = (await this.script(SESSION_SCRIPT, 2, this.key(`session:${sessionId(token)}`), this.key('users'))) as [string, string | null] | null;
    if (!found) return undefined;
    const [json, userJson] = found;
    let parsed;
    try {
      parsed = StoredSessionSchema.safeParse(JSON.parse(json));
    } catch {
      return undefined;
    }
    if (!parsed.success) return undefined;
    const session: StoredSession = { ...parsed.data, token };
    const user = userJson === null ? undefined : this.decodeUser(session.username, userJson);
    return sessionValid(session, user, now) ? session : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    const id = sessionId(token);
    await this.redis
      .multi()
      .del(this.key(`session:${id}`))
      .publish(this.key('revoked'), JSON.stringify({ sessionId: id }))
      .exec();
    await this.confirmed();
  }

  async revokeSessions(username: string, now: number): Promise<number> {
    const index = this.key(`user-sessions:${username}`);
    // Every token of the account with its expiry: all are deleted, the unexpired counted.
    const withScores = await this.redis.zrange(index, '0', '-1', 'WITHSCORES');
    const tx = this.redis.multi();
    let open = 0;
    for (let i = 0; i < withScores.length; i += 2) {
      tx.del(this.key(`session:${withScores[i]}`));
      if (Number(withScores[i + 1]) > now) open++;
    }
    await tx.del(index).publish(this.key('revoked'), JSON.stringify({ username })).exec();
    await this.confirmed();
    return open;
  }

  private revokedSubscriber: Connection | null = null;
  private readonly revokedListeners = new Set<RevokedListener>();

  async onRevoked(listener: RevokedListener): Promise<() => void> {
    this.revokedListeners.add(listener);
    if (!this.revokedSubscriber) {
      // Pub/sub needs a connection of its own; ioredis subscribes again after reconnecting.
      const subscriber = this.duplicate();
      this.revokedSubscriber = subscriber;
      subscriber.on('error', (err) => this.onError('revocation subscriber error', err));
      this.keepConnected(subscriber, 'revocation subscriber');
      subscriber.on('message', (_channel: string, message: string) => {
        let revoked: Revoked;
        try {
          revoked = JSON.parse(message) as Revoked;
        } catch (err) {
          this.onError('dropped a malformed revocation', err);
          return;
        }
        for (const l of this.revokedListeners) l(revoked);
      });
      await subscriber.subscribe(this.key('revoked'));
    }
    return () => this.revokedListeners.delete(listener);
  }

  async getGridSet(): Promise<StoredGridSet | undefined> {
    // One transaction: the version, the grids and the meta of one commit.
    const [version, gridsJson, meta] = ((await this.redis.multi().get(this.key('grids:version')).get(this.key('grids:geojson')).get(this.key('grids:meta')).exec()) ?? []).map(
      ([err, value]) => {
        if (err) throw err;
        return value as string | null;
      },
    );
    if (!version || !gridsJson) return undefined;
    let parsed: z.infer<typeof GridSetMeta> = { committedAt: 0, by: '' };
    try {
      parsed = GridSetMeta.parse(JSON.parse(meta ?? '{}'));
    } catch (err) {
      this.onError('malformed grids:meta (kept the grids)', err);
    }
    return { version, gridsJson, ...parsed };
  }

  async gridSetVersion(): Promise<string | undefined> {
    return (await this.redis.get(this.key('grids:version'))) ?? undefined;
  }

  async commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    const meta = JSON.stringify({ committedAt: set.committedAt, by: set.by });
    const sets: [string, string][] = [
      ['grids:geojson', set.gridsJson],
      ['grids:meta', meta],
      ['grids:version', set.version],
    ];
    // Optimistic over the whole live state: written only if nothing at all was written since
    // it was read (an entity added or moved meanwhile would keep its old grid), else again.
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const { seq: read, collections } = await this.snapshot();
      const changes = changesFor(collections);
      if (changes.length > 0) {
        const seq = await this.runApply(changes, at, [], null, { sets, publish: ['grids', set.version], seq: read });
        if (seq > 0) return { seq, at, changes };
      } else {
        // Nothing live to change (the same grids, or only their shapes): the set alone, in one step.
        const keys = [this.key('seq'), this.key('grids:geojson'), this.key('grids:meta'), this.key('grids:version')];
        const done = Number(await this.redis.eval(GRID_SET_ONLY_SCRIPT, keys.length, ...keys, read, set.version, set.gridsJson, meta, this.key('grids')));
        if (done === 0) {
          await this.confirmed();
          return null;
        }
      }
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 5));
    }
    throw new Error('commitGridSet: the live state kept changing while the grid set was being committed');
  }

  /** One subscriber connection per set channel (grids, roads), shared by its listeners. */
  private readonly setChannels = new Map<string, { subscriber: Connection; listeners: Set<(version: string) => void> }>();

  /**
   * Calls listener with each version published on `channel`; a message sent while the
   * connection was down is lost, so after each reconnection the listeners hear the stored
   * version (`stored`) and compare it with theirs.
   */
  private async onSet(channel: string, stored: () => Promise<string | undefined>, listener: (version: string) => void): Promise<() => void> {
    let entry = this.setChannels.get(channel);
    if (!entry) {
      const subscriber = this.duplicate();
      const listeners = new Set<(version: string) => void>();
      entry = { subscriber, listeners };
      this.setChannels.set(channel, entry);
      subscriber.on('error', (err) => this.onError(`${channel} set subscriber error`, err));
      this.keepConnected(subscriber, `${channel} set subscriber`);
      subscriber.on('message', (_channel: string, version: string) => {
        for (const l of listeners) l(version);
      });
      let ready = 0;
      subscriber.on('ready', () => {
        if (ready++ === 0) return;
        void stored()
          .then((version) => version && listeners.forEach((l) => l(version)))
          .catch((err: unknown) => this.onError(`${channel} set check after reconnecting failed`, err));
      });
      entry.listeners.add(listener);
      await subscriber.subscribe(this.key(channel));
    } else entry.listeners.add(listener);
    const listeners = entry.listeners;
    return () => listeners.delete(listener);
  }

  async onGridSet(listener: (version: string) => void): Promise<() => void> {
    return this.onSet('grids', () => this.gridSetVersion(), listener);
  }

  async getRoadSet(): Promise<StoredRoadSet | undefined> {
    const [version, roadsJson, meta] = ((await this.redis.multi().get(this.key('roads:version')).get(this.key('roads:geojson')).get(this.key('roads:meta')).exec()) ?? []).map(
      ([err, value]) => {
        if (err) throw err;
        return value as string | null;
      },
    );
    if (!version || !roadsJson) return undefined;
    let parsed: z.infer<typeof GridSetMeta> = { committedAt: 0, by: '' };
    try {
      parsed = GridSetMeta.parse(JSON.parse(meta ?? '{}'));
    } catch (err) {
      this.onError('malformed roads:meta (kept the roads)', err);
    }
    return { version, roadsJson, ...parsed };
  }

  async roadSetVersion(): Promise<string | undefined> {
    return (await this.redis.get(this.key('roads:version'))) ?? undefined;
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    // One transaction: no process reads the version of one set with the roads of another.
    const results = await this.redis
      .multi()
      .set(this.key('roads:geojson'), set.roadsJson)
      .set(this.key('roads:meta'), JSON.stringify({ committedAt: set.committedAt, by: set.by }))
      .set(this.key('roads:version'), set.version)
      .publish(this.key('roads'), set.version)
      .exec();
    if (!results) throw new Error('commitRoadSet: the transaction was aborted');
    for (const [err] of results) if (err) throw err;
    await this.confirmed();
  }

  async onRoadSet(listener: (version: string) => void): Promise<() => void> {
    return this.onSet('roads', () => this.roadSetVersion(), listener);
  }

  async getTownSet(): Promise<StoredTownSet | undefined> {
    return redisTownSets.get(this.redis, (name) => this.key(name), this.onError);
  }

  async townSetVersion(): Promise<string | undefined> {
    return redisTownSets.version(this.redis, (name) => this.key(name));
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    await redisTownSets.commit(this.redis, (name) => this.key(name), set);
    await this.confirmed();
  }

  async onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.onSet('towns', () => this.townSetVersion(), listener);
  }

  async claimOnce(name: string): Promise<boolean> {
    const claimed = (await this.redis.set(this.key(`once:${name}`), String(Date.now()), 'NX')) === 'OK';
    await this.confirmed();
    return claimed;
  }

  async appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number): Promise<string> {
    // Ids in time order from Redis (`<ms>-<n>`); entries older than the retention, by the app's clock, are trimmed,
    // and (XADD takes one trimming rule) the oldest beyond maxEntries in the same transaction.
    const tx = this.redis.multi().xadd(this.key('audit'), 'MINID', '~', String(Math.max(0, at - retentionMs)), '*', 'json', json);
    if (maxEntries !== undefined) tx.xtrim(this.key('audit'), 'MAXLEN', '~', maxEntries);
    const results = await tx.exec();
    if (!results) throw new Error('audit append aborted');
    // A command failing inside MULTI (WRONGTYPE, OOM) comes back as its result, not as a rejection.
    for (const [err] of results) if (err) throw err;
    await this.confirmed();
    return results[0]![1] as string;
  }

  async auditPage(limit: number, before?: string): Promise<{ id: string; json: string }[]> {
    const entries = await this.redis.xrevrange(this.key('audit'), before ? `(${before}` : '+', '-', 'COUNT', limit);
    return entries.map(([id, fields]) => ({ id, json: fields[fields.indexOf('json') + 1] ?? '{}' }));
  }

  async putDocument(kind: string, id: string, json: string): Promise<void> {
    await this.redis.hset(this.key(`doc:${kind}`), id, json);
    await this.confirmed();
  }

  async getDocument(kind: string, id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(`doc:${kind}`), id)) ?? undefined;
  }

  async getDocuments(kind: string): Promise<{ id: string; json: string }[]> {
    const all = await this.redis.hgetall(this.key(`doc:${kind}`));
    return Object.entries(all)
      .map(([id, json]) => ({ id, json }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async appendHistory(slot: string, at: number, json: string, retentionMs: number): Promise<boolean> {
    // The slot key outlives the slot, so a late process cannot write it twice.
    if ((await this.redis.set(this.key(`history:slot:${slot}`), '1', 'PX', Math.max(60_000, retentionMs), 'NX')) !== 'OK') return false;
    await this.redis
      .multi()
      .zadd(this.key('history'), at, json)
      .zremrangebyscore(this.key('history'), '-inf', `(${at - retentionMs}`)
      .exec();
    await this.confirmed();
    return true;
  }

  async historySince(since: number): Promise<{ at: number; json: string }[]> {
    const flat = await this.redis.zrangebyscore(this.key('history'), since, '+inf', 'WITHSCORES');
    const out: { at: number; json: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ json: flat[i]!, at: Number(flat[i + 1]) });
    return out;
  }

  async claimTerminalRegistration(registration: StoredTerminalRegistration): Promise<boolean> {
    const claimed = (await this.redis.set(this.key(`jt808:reg:${registration.phone}`), JSON.stringify(registration), 'NX')) === 'OK';
    await this.confirmed();
    return claimed;
  }

  async getTerminalRegistration(phone: string): Promise<StoredTerminalRegistration | undefined> {
    const json = await this.redis.get(this.key(`jt808:reg:${phone}`));
    if (json === null) return undefined;
    try {
      return TerminalRegistrationSchema.parse(JSON.parse(json));
    } catch (err) {
      // Unreadable: as good as none for authentication, and kept (still bound) for an admin to clear.
      this.onError(`malformed jt808:reg:${phone}`, err);
      return { phone, codeHash: '', terminalId: '', plate: '', registeredAt: 0 };
    }
  }

  async clearTerminalRegistration(phone: string): Promise<boolean> {
    const cleared = (await this.redis.del(this.key(`jt808:reg:${phone}`))) > 0;
    await this.confirmed();
    return cleared;
  }

  async ping(): Promise<boolean> {
    try {
      // On a cluster PING goes to any node: a command on the board's own key asks its shard.
      if (this.redis instanceof Cluster) return (await this.redis.exists(this.key('seq'))) >= 0;
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.resetListeners.clear();
    this.reader?.disconnect();
    this.revokedListeners.clear();
    this.revokedSubscriber?.disconnect();
    for (const { subscriber, listeners } of this.setChannels.values()) {
      listeners.clear();
      subscriber.disconnect();
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
