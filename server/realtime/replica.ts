// Each server process keeps the live state in memory, fed in seq order by the
// same deltas it fans out, so a screen's snapshot is served from memory instead
// of reading and validating every entity from Redis per connection (the first
// bench:live profile spent a third of the server's time there). A gap in the
// feed (a reader that fell behind the stream's retention) reloads it from the store.
import { applyChanges, type Delta, type EntityOf, type LiveCollections, type Snapshot } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';

export class LiveReplica {
  private state: LiveCollections | null = null;
  private seq = 0;
  /** Deltas that arrived while a load was under way; null when none is. */
  private held: Delta[] | null = null;

  constructor(
    private readonly store: LiveStore,
    private readonly onError: (message: string, err: unknown) => void,
  ) {}

  /** Loads from the store (again); deltas arriving meanwhile are applied after. */
  async load(): Promise<void> {
    if (this.held) return;
    this.held = [];
    this.state = null;
    try {
      const snap = await this.store.snapshot();
      this.state = snap.collections;
      this.seq = snap.seq;
      const held = this.held;
      this.held = null;
      for (const delta of held) this.apply(delta);
    } catch (err) {
      this.held = null;
      this.onError('loading the live replica failed; screens get snapshots from the store', err);
    }
  }

  /** Called with every delta, in the order the store's feed delivers them. */
  apply(delta: Delta): void {
    if (this.held) {
      this.held.push(delta);
      return;
    }
    if (!this.state || delta.seq <= this.seq) return;
    if (delta.seq !== this.seq + 1) {
      void this.load();
      return;
    }
    applyChanges(this.state, delta.changes);
    this.seq = delta.seq;
  }

  /** A vehicle as it was just before the delta `seq` (undefined unless that is the replica's next). */
  ambulanceBefore(seq: number, id: string): EntityOf<'ambulances'> | undefined {
    if (!this.state || this.held || seq !== this.seq + 1) return undefined;
    return this.state.ambulances[id];
  }

  /**
   * The state now, or null while loading. Shared, not copied: send it before
   * anything else runs (socket.io encodes synchronously) and never change it.
   */
  /** The seq of the last delta applied (0 before loading). */
  get appliedSeq(): number {
    return this.seq;
  }

  current(now: number): Snapshot | null {
    return this.state && !this.held ? { seq: this.seq, at: now, collections: this.state } : null;
  }
}
