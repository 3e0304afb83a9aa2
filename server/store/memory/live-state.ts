// Live state in this process's memory: the collections, the seq, the event log for resuming
// clients and the subscribers. Every read-modify-write is one synchronous step (read, compute,
// write), so nothing can interleave: that is its compare-and-set.
import { randomUUID } from 'node:crypto';
import { applyChanges, emptyCollections, type Change, type CollectionName, type Delta, type EntityOf, type LiveCollections, type Snapshot } from '../../schema/index.ts';
import { distanceMeters } from '../../geo/distance.ts';
import { Listeners } from '../listeners.ts';
import type { AnyEntity, DeltaListener, EntityKey, LiveState } from '../store.ts';

export class MemoryLiveState implements LiveState {
  #collections: LiveCollections = emptyCollections();
  #seq = 0;
  #log: Delta[] = [];
  readonly #listeners = new Listeners<Delta>();
  /** Keys of operations already applied, with when they may be forgotten. */
  readonly #ops = new Map<string, number>();
  readonly #epoch = randomUUID();

  /** How many deltas the event log keeps for resuming clients. */
  constructor(private readonly retention = 10_000) {}

  async snapshot(): Promise<Snapshot> {
    return { seq: this.#seq, at: Date.now(), collections: structuredClone(this.#collections) };
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<EntityOf<C> | undefined> {
    return this.#read({ collection, id }) as EntityOf<C> | undefined;
  }

  async apply(changes: Change[], at: number): Promise<Delta> {
    return this.applyNow(changes, at);
  }

  async update<C extends CollectionName>(collection: C, id: string, update: (current: EntityOf<C> | undefined) => Change[] | null, at: number): Promise<Delta | null> {
    return this.#readModifyWrite([{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at);
  }

  async updateMany(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number): Promise<Delta | null> {
    return this.#readModifyWrite(keys, update, at);
  }

  async updateOnce<C extends CollectionName>(
    once: { key: string; ttlMs: number },
    collection: C,
    id: string,
    update: (current: EntityOf<C> | undefined) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'> {
    const now = Date.now();
    const until = this.#ops.get(once.key);
    if (until !== undefined && until > now) return 'duplicate';
    // Check, compute, write and remember in one synchronous step.
    const delta = this.#readModifyWrite([{ collection, id }], ([current]) => update(current as EntityOf<C> | undefined), at);
    if (!delta) return null;
    this.#ops.set(once.key, now + once.ttlMs);
    if (this.#ops.size > 10_000) for (const [key, t] of this.#ops) if (t <= now) this.#ops.delete(key);
    return delta;
  }

  /** The one update step: read (copies), compute and write in one synchronous step. */
  #readModifyWrite(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number): Delta | null {
    const changes = update(keys.map((k) => this.#read(k)));
    return changes && changes.length > 0 ? this.applyNow(changes, at) : null;
  }

  #read(key: EntityKey): AnyEntity | undefined {
    const entity = this.#collections[key.collection][key.id];
    return entity === undefined ? undefined : (structuredClone(entity) as AnyEntity);
  }

  /**
   * Computes changes from the whole live state (a copy) and applies them (none: nothing), in one
   * synchronous step; computed again should `changesFor` itself have written. For a grid set's commit.
   */
  applyOnState(changesFor: (collections: LiveCollections) => Change[], at: number): Delta | null {
    for (let attempt = 0; attempt < 100; attempt++) {
      const read = this.#seq;
      const changes = changesFor(structuredClone(this.#collections));
      if (this.#seq !== read) continue;
      return changes.length > 0 ? this.applyNow(changes, at) : null;
    }
    throw new Error('commitGridSet: the live state kept changing while the grid set was being committed');
  }

  applyNow(changes: Change[], at: number): Delta {
    if (changes.length === 0) throw new Error('apply: no changes');
    const delta: Delta = { seq: ++this.#seq, at, changes: structuredClone(changes) };
    applyChanges(this.#collections, delta.changes);
    this.#log.push(delta);
    if (this.#log.length > this.retention * 1.25) this.#log = this.#log.slice(-this.retention);
    // Listeners run after apply resolves, as with Redis, and in seq order.
    this.#listeners.emitLater(delta);
    return delta;
  }

  async epoch(): Promise<string> {
    return this.#epoch;
  }

  async seq(): Promise<number> {
    return this.#seq;
  }

  async deltasSince(after: number): Promise<Delta[] | null> {
    if (after >= this.#seq) return [];
    const first = this.#log[0];
    if (!first || first.seq > after + 1) return null;
    return this.#log.slice(after + 1 - first.seq);
  }

  async subscribe(listener: DeltaListener): Promise<() => void> {
    return this.#listeners.add(listener);
  }

  async ambulancesNear(lng: number, lat: number, radiusMeters: number): Promise<string[]> {
    return Object.values(this.#collections.ambulances)
      .flatMap((a) => (a.fix ? [{ id: a.id, d: distanceMeters(lng, lat, a.fix.lng, a.fix.lat) }] : []))
      .filter((x) => x.d <= radiusMeters)
      .sort((x, y) => x.d - y.d)
      .map((x) => x.id);
  }

  close(): void {
    this.#listeners.clear();
  }
}
