// The committed grid and road sets in this process's memory. A grid set is committed with
// its live changes in one synchronous step over the live state (MemoryLiveState.applyOnState).
import type { Change, Delta, LiveCollections } from '../../schema/index.ts';
import type { GridAndRoadSets, StoredGridSet, StoredRoadSet } from '../store.ts';
import { HeldSet } from './held-set.ts';
import type { MemoryLiveState } from './live-state.ts';

export class MemorySets implements GridAndRoadSets {
  readonly #grids = new HeldSet<StoredGridSet>();
  readonly #roads = new HeldSet<StoredRoadSet>();

  constructor(private readonly live: MemoryLiveState) {}

  async getGridSet(): Promise<StoredGridSet | undefined> {
    return this.#grids.get();
  }

  async gridSetVersion(): Promise<string | undefined> {
    return this.#grids.version();
  }

  async commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    // Read, compute, write the changes and the set in one synchronous step, as updateMany
    // does; computed again should `changesFor` itself have written (as Redis does for any write).
    const delta = this.live.applyOnState(changesFor, at);
    this.#grids.commit(set);
    return delta;
  }

  async onGridSet(listener: (version: string) => void): Promise<() => void> {
    return this.#grids.on(listener);
  }

  async getRoadSet(): Promise<StoredRoadSet | undefined> {
    return this.#roads.get();
  }

  async roadSetVersion(): Promise<string | undefined> {
    return this.#roads.version();
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    this.#roads.commit(set);
  }

  async onRoadSet(listener: (version: string) => void): Promise<() => void> {
    return this.#roads.on(listener);
  }

  close(): void {
    this.#grids.close();
    this.#roads.close();
  }
}
