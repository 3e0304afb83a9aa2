// Live state on Redis. Keys: seq (INCR), e:<collection> (id → entity JSON), v:<collection>
// (id → its compare-and-set version), geo:ambulances, epoch, events (the stream, apply.ts and
// event-reader.ts), op:<key> (an operation applied once). Every read-modify-write is the apply
// script's compare-and-set on the versions read, retried on a conflict.
import { randomUUID } from 'node:crypto';
import {
  collectionNames,
  collectionSchemas,
  emptyCollections,
  type Change,
  type CollectionName,
  type Delta,
  type EntityOf,
  type LiveCollections,
  type Snapshot,
} from '../../schema/index.ts';
import type { Expectation, Known } from '../known-entities.ts';
import type { AnyEntity, DeltaListener, EntityKey, LiveState } from '../store.ts';
import { RedisApplier, type Once } from './apply.ts';
import { MAX_UPDATE_ATTEMPTS, type RedisContext } from './context.ts';
import { decodeEvent, RedisEventReader } from './event-reader.ts';

type Rmw = (current: (AnyEntity | undefined)[]) => Change[] | null;

export class RedisLiveState implements LiveState {
  readonly applier: RedisApplier;
  readonly #reader: RedisEventReader;

  constructor(
    private readonly ctx: RedisContext,
    retention: number,
  ) {
    this.applier = new RedisApplier(ctx, retention);
    this.#reader = new RedisEventReader(ctx, this.applier, () => this.seq());
  }

  async snapshot(): Promise<Snapshot> {
    // MULTI makes the reads one atomic step: the collections are exactly those at `seq`.
    const multi = this.ctx.redis.multi().get(this.ctx.key('seq'));
    for (const name of collectionNames) multi.hgetall(this.ctx.key(`e:${name}`));
    const results = await multi.exec();
    if (!results) throw new Error('snapshot transaction aborted');
    // Shown to screens: only once a failover can no longer take it back.
    await this.ctx.barrier();
    const seq = Number(results[0]?.[1] ?? 0);
    const collections = emptyCollections();
    collectionNames.forEach((name, i) => {
      const hash = (results[i + 1]?.[1] ?? {}) as Record<string, string>;
      const target = collections[name] as Record<string, unknown>;
      for (const [id, json] of Object.entries(hash)) {
        const entity = this.#decodeEntity(name, json);
        if (entity) target[id] = entity;
      }
    });
    return { seq, at: Date.now(), collections: collections as LiveCollections };
  }

  #decodeEntity<C extends CollectionName>(collection: C, json: string): EntityOf<C> | undefined {
    try {
      const parsed = collectionSchemas[collection].safeParse(JSON.parse(json));
      if (parsed.success) return parsed.data as EntityOf<C>;
      this.ctx.onError(`dropped malformed ${collection} entity`, parsed.error);
    } catch (err) {
      this.ctx.onError(`dropped unparsable ${collection} entity`, err);
    }
    return undefined;
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<EntityOf<C> | undefined> {
    const json = await this.ctx.redis.hget(this.ctx.key(`e:${collection}`), id);
    return json === null ? undefined : this.#decodeEntity(collection, json);
  }

  async apply(changes: Change[], at: number): Promise<Delta> {
    const seq = await this.applier.run(changes, at, []);
    return { seq, at, changes };
  }

  update<C extends CollectionName>(collection: C, id: string, update: (current: EntityOf<C> | undefined) => Change[] | null, at: number): Promise<Delta | null> {
    return this.#readModifyWrite(null, [{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at) as Promise<Delta | null>;
  }

  updateMany(keys: EntityKey[], update: Rmw, at: number): Promise<Delta | null> {
    return this.#readModifyWrite(null, keys, update, at) as Promise<Delta | null>;
  }

  updateOnce<C extends CollectionName>(
    once: Once,
    collection: C,
    id: string,
    update: (current: EntityOf<C> | undefined) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'> {
    return this.#readModifyWrite(once, [{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at);
  }

  async #readModifyWrite(once: Once | null, keys: EntityKey[], update: Rmw, at: number): Promise<Delta | null | 'duplicate'> {
    const { redis } = this.ctx;
    const known = this.applier.known;
    // A repeat is answered as done only once what it repeats is confirmed (it may be a write that timed out in WAIT).
    if (once && (await redis.exists(this.ctx.key(`op:${once.key}`)))) return this.ctx.barrier().then(() => 'duplicate' as const);
    // First try on what this process last wrote or read of each entity, without reading:
    // the script's compare-and-set refuses it if any was written since. A stream of fixes
    // for units this process keeps writing then costs one round trip, not two. Only a
    // write is checked so: "nothing to change" is decided again on what is stored.
    const last = keys.map((k) => known.get(k.collection, k.id));
    if (last.every((e) => e !== undefined)) {
      const outcome = await this.#tryUpdate(once, keys, update, at, last as Known[]);
      if (outcome !== 'conflict' && outcome !== null) return outcome;
    }
    // Optimistic concurrency: the script writes only if no entity was written since it was read.
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      // Each version before its entity, in one pipeline: an entity written between the two
      // reads is newer than the version read, and the script refuses the write.
      const read = redis.pipeline();
      for (const k of keys) read.hget(this.ctx.key(`v:${k.collection}`), k.id).hget(this.ctx.key(`e:${k.collection}`), k.id);
      const replies = ((await read.exec()) ?? []).map(([err, reply]) => {
        if (err) throw err;
        return reply as string | null;
      });
      const current = keys.map((k, i): Known => {
        const json = replies[2 * i + 1];
        const entity = json == null ? undefined : this.#decodeEntity(k.collection, json);
        return known.set(k.collection, k.id, Number(replies[2 * i] ?? 0), entity);
      });
      const outcome = await this.#tryUpdate(once, keys, update, at, current);
      if (outcome !== 'conflict') return outcome;
      // Someone wrote one of them meanwhile: back off a random while so contenders spread out.
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 2));
    }
    throw new Error(`update of ${keys.map((k) => `${k.collection}/${k.id}`).join(', ')} kept conflicting`);
  }

  /** One compare-and-set: the update computed on `current`, written only if no entity's version moved since. */
  async #tryUpdate(once: Once | null, keys: EntityKey[], update: Rmw, at: number, current: Known[]): Promise<Delta | null | 'duplicate' | 'conflict'> {
    const changes = update(current.map((c) => c.entity));
    if (!changes || changes.length === 0) return null;
    const expect = keys.map((k, i): Expectation => [k.collection, k.id, current[i]!.version]);
    const known = this.applier.known;
    let seq: number;
    try {
      seq = await this.applier.run(changes, at, expect, once);
    } catch (err) {
      // Written or not, nobody knows (a WAIT timed out, the connection went): read next time.
      for (const k of keys) known.forget(k.collection, k.id);
      throw err;
    }
    if (seq === -2) return this.ctx.barrier().then(() => 'duplicate' as const);
    if (seq > 0) return { seq, at, changes };
    for (const k of keys) known.forget(k.collection, k.id);
    return 'conflict';
  }

  async epoch(): Promise<string> {
    await this.ctx.redis.set(this.ctx.key('epoch'), randomUUID(), 'NX');
    const epoch = (await this.ctx.redis.get(this.ctx.key('epoch')))!;
    await this.ctx.barrier();
    return epoch;
  }

  async seq(): Promise<number> {
    return Number((await this.ctx.redis.get(this.ctx.key('seq'))) ?? 0);
  }

  async deltasSince(after: number): Promise<Delta[] | null> {
    const current = await this.seq();
    if (after >= current) return [];
    const entries = await this.ctx.redis.xrange(this.ctx.key('events'), `${after + 1}-0`, '+');
    await this.ctx.barrier();
    const deltas = entries.flatMap(([id, fields]) => decodeEvent(id, fields, this.ctx.onError));
    // The stream was trimmed past `after`: the caller must fall back to a snapshot.
    if (deltas[0]?.seq !== after + 1) return null;
    return deltas;
  }

  subscribe(listener: DeltaListener, onReset?: () => void): Promise<() => void> {
    return this.#reader.subscribe(listener, onReset);
  }

  async ambulancesNear(lng: number, lat: number, radiusMeters: number): Promise<string[]> {
    const ids = await this.ctx.redis.geosearch(this.ctx.key('geo:ambulances'), 'FROMLONLAT', lng, lat, 'BYRADIUS', radiusMeters, 'm', 'ASC');
    return ids as string[];
  }

  close(): void {
    this.#reader.close();
  }
}
