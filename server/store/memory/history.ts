// The key-figure history in this process's memory: points oldest first, one per slot.
import type { HistoryLog } from '../store.ts';

export class MemoryHistory implements HistoryLog {
  #points: { at: number; json: string }[] = [];
  /** Slots written, with when: forgotten with the points of their time. */
  readonly #slots = new Map<string, number>();

  async appendHistory(slot: string, at: number, json: string, retentionMs: number): Promise<boolean> {
    if (this.#slots.has(slot)) return false;
    this.#slots.set(slot, at);
    this.#points.push({ at, json });
    this.#points.sort((a, b) => a.at - b.at);
    const cutoff = at - retentionMs;
    this.#points = this.#points.filter((p) => p.at >= cutoff);
    for (const [s, t] of this.#slots) if (t < cutoff) this.#slots.delete(s);
    return true;
  }

  async historySince(since: number): Promise<{ at: number; json: string }[]> {
    return this.#points.filter((p) => p.at >= since);
  }
}
