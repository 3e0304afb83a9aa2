// Watches whether the store answers. One ping a second (PING within a deadline);
// two misses in a row mark it unreachable, one answer marks it back. Everything
// that must behave differently while the store is away reads this one status:
// /api/health, the write guard (503 instead of accepting what cannot be kept),
// and every live screen (told at once, and resynced when the store returns).
import type { StoreStatus } from '../schema/index.ts';

export interface StoreWatchOptions {
  ping: () => Promise<boolean>;
  clock: () => number;
  intervalMs: number;
  /** A ping not answered within this is a miss. */
  timeoutMs: number;
  /** Misses in a row before the store counts as unreachable. */
  missesToFail?: number;
}

type Listener = (status: StoreStatus, previous: StoreStatus) => void;

export class StoreWatch {
  status: StoreStatus;
  private misses = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly options: StoreWatchOptions) {
    this.status = { reachable: true, since: options.clock() };
  }

  get reachable(): boolean {
    return this.status.reachable;
  }

  /** Called on every change of status; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      await this.check();
      if (this.running) this.timer = setTimeout(loop, this.options.intervalMs);
    };
    this.timer = setTimeout(loop, this.options.intervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One probe; returns whether the store answered in time. */
  async check(): Promise<boolean> {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const answered = await Promise.race([
      this.options.ping().catch(() => false),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), this.options.timeoutMs))),
    ]);
    clearTimeout(timeout);
    if (answered) {
      this.misses = 0;
      if (!this.status.reachable) this.set(true);
    } else if (++this.misses >= (this.options.missesToFail ?? 2) && this.status.reachable) {
      this.set(false);
    }
    return answered;
  }

  private set(reachable: boolean): void {
    const previous = this.status;
    this.status = { reachable, since: this.options.clock() };
    for (const listener of this.listeners) listener(this.status, previous);
  }
}
