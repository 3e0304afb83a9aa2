// One set of listeners for one kind of news (deltas, revocations, a committed set): every
// part of both stores keeps its listeners in one of these instead of a Set of its own.

export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  /** Adds a listener; returns its unsubscribe. */
  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener now, in the order they were added. */
  emit(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }

  /** Calls every listener after the caller's answer (as Redis does: a write resolves before its news is heard). */
  emitLater(value: T): void {
    queueMicrotask(() => this.emit(value));
  }

  clear(): void {
    this.#listeners.clear();
  }
}
