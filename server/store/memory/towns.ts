// The committed town set in this process's memory.
import type { StoredTownSet, TownSetStore } from '../town-set.ts';
import { HeldSet } from './held-set.ts';

export class MemoryTownSets implements TownSetStore {
  readonly #set = new HeldSet<StoredTownSet>();

  async getTownSet(): Promise<StoredTownSet | undefined> {
    return this.#set.get();
  }

  async townSetVersion(): Promise<string | undefined> {
    return this.#set.version();
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    this.#set.commit(set);
  }

  async onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.#set.on(listener);
  }
}
