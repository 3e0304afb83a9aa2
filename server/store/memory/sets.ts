// The committed grid and road sets in this process's memory. A grid set is committed with
// its live changes in one synchronous step over the live state (MemoryLiveState.applyOnState).
import type { Change, Delta, LiveCollections } from '../../schema/index.ts';
import { Listeners } from '../listeners.ts';
import type { GridAndRoadSets, StoredGridSet, StoredRoadSet } from '../store.ts';
import type { MemoryLiveState } from './live-state.ts';

export class MemorySets implements GridAndRoadSets {
  #gridSet: StoredGridSet | undefined;
  #roadSet: StoredRoadSet | undefined;
  readonly #gridListeners = new Listeners<string>();
  readonly #roadListeners = new Listeners<string>();

  constructor(private readonly live: MemoryLiveState) {}

  async getGridSet(): Promise<StoredGridSet | undefined> {
    return this.#gridSet && { ...this.#gridSet };
  }

  async gridSetVersion(): Promise<string | undefined> {
    return this.#gridSet?.version;
  }

  async commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    // Read, compute, write the changes and the set in one synchronous step, as updateMany
    // does; computed again should `changesFor` itself have written (as Redis does for any write).
    const delta = this.live.applyOnState(changesFor, at);
    this.#gridSet = { ...set };
    this.#gridListeners.emitLater(set.version);
    return delta;
  }

  async onGridSet(listener: (version: string) => void): Promise<() => void> {
    return this.#gridListeners.add(listener);
  }

  async getRoadSet(): Promise<StoredRoadSet | undefined> {
    return this.#roadSet && { ...this.#roadSet };
  }

  async roadSetVersion(): Promise<string | undefined> {
    return this.#roadSet?.version;
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    this.#roadSet = { ...set };
    this.#roadListeners.emitLater(set.version);
  }

  async onRoadSet(listener: (version: string) => void): Promise<() => void> {
    return this.#roadListeners.add(listener);
  }

  close(): void {
    this.#gridListeners.clear();
    this.#roadListeners.clear();
  }
}
