// A figure a screen reads from the API rather than the live feed (the 120 figures,
// coverage): fetched when the screen opens, again a moment after what it depends on changes
// in the live state (throttled: a stream of fixes must not put the reload off for ever),
// and every so often (figures that age without any change: a task passing its 3 minutes,
// a fix going stale).
import { api } from './api.ts';

export interface FeedOptions<T> {
  /** Read inside an effect: the live state the figure follows (its collections' versions). */
  follows: () => unknown;
  everyMs: number;
  /** A change is followed by a reload this long after the previous one, at the soonest. */
  settleMs?: number;
  /** Each answer, as it comes. */
  onload?: (value: T) => void;
}

export class RefreshingFeed<T> {
  value = $state<T | null>(null);
  failed = $state(false);
  #timer: ReturnType<typeof setInterval>;
  #soon: ReturnType<typeof setTimeout> | null = null;
  #last = 0;
  #stop: () => void;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly options: FeedOptions<T>,
  ) {
    void this.load();
    this.#timer = setInterval(() => void this.load(), options.everyMs);
    // Follow the live state without re-rendering: an effect root owned by this feed.
    this.#stop = $effect.root(() => {
      $effect(() => {
        options.follows();
        if (this.#soon) return;
        const wait = Math.max(500, (options.settleMs ?? 2_000) - (Date.now() - this.#last));
        this.#soon = setTimeout(() => {
          this.#soon = null;
          void this.load();
        }, wait);
      });
    });
  }

  async load(): Promise<void> {
    this.#last = Date.now();
    try {
      const value = await this.read();
      this.value = value;
      this.failed = false;
      this.options.onload?.(value);
    } catch {
      this.failed = true;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#stop();
  }
}

/** A feed of GET `path`'s `data`. */
export const dataOf =
  <T>(path: string) =>
  async (): Promise<T> =>
    (await api<{ data: T }>(path)).data;
