// Group commit for positions arriving on many connections (the JT/T 808 gateway): each
// connection still waits until its fix is in the store before acknowledging it, but
// the fixes that arrive while one store write is in flight go together in the next:
// one atomic write for hundreds of units instead of one read-modify-write each.

export interface UnitFix {
  ambulanceId: string;
  fix: { lng: number; lat: number; at: number; speed: number; heading: number };
}

interface Waiting {
  fixes: UnitFix[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class PositionBatcher {
  private queue: Waiting[] = [];
  private flushing = false;

  /**
   * @param writeBatch writes at most one fix per unit (the newest of those waiting), all in one store write
   * @param maxUnits callers are taken into one write until it holds this many units
   */
  constructor(
    private readonly writeBatch: (fixes: UnitFix[]) => Promise<void>,
    private readonly maxUnits = 2000,
  ) {}

  /** Resolves once the fixes are written (or rejects with the write's error). */
  write(fixes: UnitFix[]): Promise<void> {
    if (fixes.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ fixes, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      // Whole callers, so each is answered by exactly one write.
      const newest = new Map<string, UnitFix>();
      let taken = 0;
      while (taken < this.queue.length && (taken === 0 || newest.size < this.maxUnits)) {
        for (const f of this.queue[taken]!.fixes) {
          const seen = newest.get(f.ambulanceId);
          if (!seen || f.fix.at >= seen.fix.at) newest.set(f.ambulanceId, f);
        }
        taken++;
      }
      const batch = this.queue.splice(0, taken);
      try {
        await this.writeBatch([...newest.values()]);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.flushing = false;
  }
}
