// What every Redis part of the store shares: the command connection, the key prefix (with the
// board's hash tag on a cluster), WAIT for the replicas (confirmed, barrier), small Lua scripts
// by their SHA, the connections of its own a part opens (duplicate) and the store's closing.
import { createHash } from 'node:crypto';
import { Cluster } from 'ioredis';
import { keepConnected } from '../keep-connected.ts';
import { Listeners } from '../listeners.ts';
import { StoreUnavailableError } from '../store.ts';
import { createConnection, type Connection, type RedisStoreOptions } from './connection.ts';

const noop = () => {};
/** How often a compare-and-set is computed again before the store gives up. */
export const MAX_UPDATE_ATTEMPTS = 100;

export class RedisContext {
  readonly redis: Connection;
  readonly prefix: string;
  readonly waitReplicas: number;
  readonly waitTimeoutMs: number;
  readonly onError: (message: string, error: unknown) => void;
  /** The connections of their own the parts opened (blocking reads, pub/sub), closed with the store. */
  readonly connections = new Set<Connection>();
  /** Called when the command connection is connected again after ioredis gave it up (keep-connected.ts). */
  readonly commandRestarted = new Listeners<void>();
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.redis = createConnection(options);
    this.waitReplicas = options.waitReplicas ?? 0;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 500;
    this.prefix = options.prefix ?? 'epi:';
    this.onError = options.onError ?? (() => {});
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    this.redis.on('error', (err) => this.onError('redis connection error', err));
    this.keep(this.redis, 'command', () => this.commandRestarted.emit());
  }

  get closed(): boolean {
    return this.#closed;
  }

  key(name: string): string {
    return this.prefix + name;
  }

  /** A connection ioredis gives up for good (keep-connected.ts) is connected again until close(). */
  private keep(conn: Connection, what: string, onRestart?: () => void): void {
    keepConnected(conn, { what, closing: () => this.#closed, onError: this.onError, ...(onRestart ? { onRestart } : {}) });
  }

  /**
   * A connection of its own (blocking reads, pub/sub), to the same Redis, Sentinels or cluster,
   * its errors logged as `errorMessage`, kept connected, and closed with the store.
   */
  duplicate(errorMessage: string, what: string, onRestart?: () => void): Connection {
    const conn = this.redis instanceof Cluster ? this.redis.duplicate() : this.redis.duplicate();
    conn.on('error', (err) => this.onError(errorMessage, err));
    this.keep(conn, what, onRestart);
    this.connections.add(conn);
    return conn;
  }

  /** WAIT's answer checked: fewer replicas than asked hold this connection's writes → StoreUnavailableError. */
  checkAcks(acks: unknown): void {
    if (Number(acks) >= this.waitReplicas) return;
    throw new StoreUnavailableError(`not confirmed by ${this.waitReplicas} replica(s) within ${this.waitTimeoutMs} ms (${Number(acks)} did)`);
  }

  /** The WAIT under way on the command connection, if any (it blocks the connection until answered). */
  confirming: Promise<void> | null = null;
  /** The one queued behind it, shared by every write answered meanwhile. */
  #queuedConfirm: Promise<void> | null = null;

  /**
   * Every write this connection has had answered is held by waitReplicas replicas (a no-op
   * without WAIT). Group commit: one WAIT at a time, and all the writes answered while it is
   * under way share the next one, so concurrent requests do not queue one WAIT each.
   */
  confirmed(conn: Connection = this.redis): Promise<void> {
    if (this.waitReplicas === 0) return Promise.resolve();
    if (conn !== this.redis) return conn.wait(this.waitReplicas, this.waitTimeoutMs).then((acks) => this.checkAcks(acks));
    if (!this.confirming) return this.inFlight(this.redis.wait(this.waitReplicas, this.waitTimeoutMs));
    this.#queuedConfirm ??= this.confirming.then(noop, noop).then(() => {
      this.#queuedConfirm = null;
      return this.confirmed();
    });
    return this.#queuedConfirm;
  }

  /** Marks a WAIT sent on the command connection as the one under way until it is answered. */
  inFlight(acks: Promise<unknown>): Promise<void> {
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
  async barrier(conn: Connection = this.redis): Promise<void> {
    if (this.waitReplicas === 0) return;
    const results = (await conn.pipeline().publish(this.key('barrier'), '').wait(this.waitReplicas, this.waitTimeoutMs).exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    this.checkAcks(results[1]?.[1]);
  }

  readonly #scriptShas = new Map<string, string>();

  /** A small Lua script by its SHA (sent whole only when Redis does not have it yet). */
  async script(source: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    let sha = this.#scriptShas.get(source);
    if (!sha) this.#scriptShas.set(source, (sha = createHash('sha1').update(source).digest('hex')));
    try {
      return await this.redis.evalsha(sha, numKeys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return this.redis.eval(source, numKeys, ...args);
    }
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

  /** Marks the store closing (the readers stop, nothing is connected again), then closes every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.commandRestarted.clear();
    for (const conn of this.connections) conn.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
