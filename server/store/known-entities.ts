// What one process last saw stored of each entity: its version (how many writes it has
// had, bumped by the apply script, removals too) and the entity then. The Redis store
// tries an update on this first, without reading (its compare-and-set refuses it when
// anyone wrote the entity since), so a stream of fixes for units this process keeps
// writing costs one round trip each instead of two. Entities kept are frozen: they are
// handed to later updates as their current value and must not change in place. Bounded:
// a forgotten or stale entry costs one refused write and a read, never a wrong write.
import type { Change } from '../schema/index.ts';
import type { AnyEntity } from './store.ts';

export interface Known {
  version: number;
  /** undefined: there is none (never written, or removed). */
  entity: AnyEntity | undefined;
}

/** An expectation the apply script checks: this entity is still at this version. */
export type Expectation = [collection: string, id: string, version: number];

/** Freezes an entity and what it holds (plain objects and arrays). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

export class KnownEntities {
  private readonly byCollection = new Map<string, Map<string, Known>>();
  private size = 0;

  constructor(private readonly max = 50_000) {}

  get(collection: string, id: string): Known | undefined {
    return this.byCollection.get(collection)?.get(id);
  }

  set(collection: string, id: string, version: number, entity: AnyEntity | undefined): Known {
    let ids = this.byCollection.get(collection);
    if (!ids) this.byCollection.set(collection, (ids = new Map()));
    const known: Known = { version, entity: entity && deepFreeze(entity) };
    if (ids.delete(id)) this.size--;
    ids.set(id, known);
    this.size++;
    // The oldest entry of this collection goes (insertion order is age order: set() re-inserts).
    if (this.size > this.max && ids.delete(ids.keys().next().value!)) this.size--;
    return known;
  }

  forget(collection: string, id: string): void {
    if (this.byCollection.get(collection)?.delete(id)) this.size--;
  }

  clear(): void {
    this.byCollection.clear();
    this.size = 0;
  }

  /**
   * After a write went through: each entity it changed whose version it expected is now
   * that version plus one per change of it; one it changed without expecting is forgotten.
   */
  written(changes: Change[], expect: Expectation[]): void {
    // Per collection and id: the version now (expected, plus one per change) and the entity
    // after the last change of it (a batch may change one twice).
    const now = new Map<string, Map<string, { version: number; entity: AnyEntity | undefined }>>();
    for (const [collection, id, version] of expect) {
      let ids = now.get(collection);
      if (!ids) now.set(collection, (ids = new Map()));
      ids.set(id, { version, entity: undefined });
    }
    const changed: [string, string][] = [];
    for (const change of changes) {
      const id = change.op === 'upsert' ? change.entity.id : change.id;
      const entry = now.get(change.collection)?.get(id);
      if (!entry) {
        this.forget(change.collection, id);
        continue;
      }
      entry.version++; // the script bumps the version once per change
      entry.entity = change.op === 'upsert' ? change.entity : undefined;
      changed.push([change.collection, id]);
    }
    for (const [collection, id] of changed) {
      const entry = now.get(collection)!.get(id)!;
      this.set(collection, id, entry.version, entry.entity);
    }
  }
}
