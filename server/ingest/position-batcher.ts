// Group commit for positions arriving on many connections (the JT/T 808 gateway): each
// connection still waits until its fix is in the store before acknowledging it, but
// the fixes that arrive while one store write is in flight go together in the next:
// one atomic write for hundreds of units instead of one read-modify-write each. With a
// concurrency above 1, the next write may start while one is in flight, so the process
// is not idle while Redis runs a script (each unit's write is still a compare-and-set:
// two writes of one unit in flight at once are resolved by the store, the older fix refused).

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
  private inFlight = 0;

  /**
   * @param writeBatch writes at most one fix per unit (the newest of those waiting), all in one store write
   * @param maxUnits callers are taken into one write until it holds this many units
   * @param concurrency writes in flight at once
   */
  constructor(
    private readonly writeBatch: (fixes: UnitFix[]) => Promise<void>,
    private readonly maxUnits = 2000,
    private readonly concurrency = 1,
  ) {}

  /** Resolves once the fixes are written (or rejects with the write's error). */
  write(fixes: UnitFix[]): Promise<void> {
    if (fixes.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ fixes, resolve, reject });
      if (this.inFlight < this.concurrency) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight++;
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
    this.inFlight--;
  }
}
