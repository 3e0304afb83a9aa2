// The committed town set in this process's memory.
import { Listeners } from '../listeners.ts';
import type { StoredTownSet, TownSetStore } from '../town-set.ts';

export class MemoryTownSets implements TownSetStore {
  #set: StoredTownSet | undefined;
  readonly #listeners = new Listeners<string>();

  async getTownSet(): Promise<StoredTownSet | undefined> {
    return this.#set && { ...this.#set };
  }

  async townSetVersion(): Promise<string | undefined> {
    return this.#set?.version;
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    this.#set = { ...set };
    this.#listeners.emitLater(set.version);
  }

  async onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.#listeners.add(listener);
  }
}
