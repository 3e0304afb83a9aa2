// A committed set held in this process's memory (grids, roads, towns), with its listeners:
// each commit is told to them after the current turn, as Redis's channel would.
import { Listeners } from '../listeners.ts';

export class HeldSet<T extends { version: string }> {
  #set: T | undefined;
  readonly #listeners = new Listeners<string>();

  /** A copy of the set, so that a caller changing it changes nothing held. */
  get(): T | undefined {
    return this.#set && { ...this.#set };
  }

  version(): string | undefined {
    return this.#set?.version;
  }

  commit(set: T): void {
    this.#set = { ...set };
    this.#listeners.emitLater(set.version);
  }

  on(listener: (version: string) => void): () => void {
    return this.#listeners.add(listener);
  }

  close(): void {
    this.#listeners.clear();
  }
}
