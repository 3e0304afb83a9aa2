// The snapshots asked for in one turn of the event loop go out together: one read of the
// replica, and per view and reason one payload, encoded once for all who asked (a thousand
// screens reconnecting after a restart would otherwise hold a thousand copies of the county
// in their write buffers at once).
import type { Snapshot, SnapshotReason } from '../schema/index.ts';

export interface BatchHost<C> {
  /** The live state from memory; null while the replica (re)loads. */
  current(): Snapshot | null;
  /** Still connected and still waiting for its snapshot. */
  waiting(client: C): boolean;
  /** Screens with the same key get the same payload. */
  keyOf(client: C): string;
  /** The replica began reloading since it asked: serve it on its own, from the store. */
  alone(client: C, reason: SnapshotReason): void;
  /** One payload to all of them; each goes live after. */
  deliver(clients: C[], snapshot: Snapshot, reason: SnapshotReason): void;
}

export class SnapshotBatch<C> {
  private queue: { client: C; reason: SnapshotReason }[] = [];

  constructor(
    private readonly host: BatchHost<C>,
    /** When the batch goes: after this turn of the event loop. */
    private readonly defer: (run: () => void) => void = setImmediate,
  ) {}

  add(client: C, reason: SnapshotReason): void {
    if (this.queue.push({ client, reason }) === 1) this.defer(() => this.flush());
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    const snapshot = this.host.current();
    const groups = new Map<string, { reason: SnapshotReason; clients: C[] }>();
    for (const { client, reason } of queue) {
      if (!this.host.waiting(client)) continue;
      if (!snapshot) {
        this.host.alone(client, reason);
        continue;
      }
      const key = `${reason}|${this.host.keyOf(client)}`;
      const group = groups.get(key) ?? { reason, clients: [] };
      group.clients.push(client);
      groups.set(key, group);
    }
    if (!snapshot) return;
    for (const { reason, clients } of groups.values()) this.host.deliver(clients, snapshot, reason);
  }
}
