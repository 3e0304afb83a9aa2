// A test client that follows the live protocol as the board does: snapshot or
// replay, then deltas and frames applied only in exact seq order, and a resume
// (handshake lastSeq) on every reconnection. It records holes and duplicates
// instead of hiding them.
import { applyDelta, type Delta, type LiveCollections, type Subscription } from '../../server/schema/index.ts';
import { connectLive, type LiveSocket } from './live.ts';

export class LiveFollower {
  collections: LiveCollections | null = null;
  seq = 0;
  snapshots = 0;
  replays = 0;
  /** Deltas that did not start right after `seq`: each would be a hole or a duplicate. */
  outOfOrder: string[] = [];
  /** Snapshots of the same epoch behind the seq already applied: a change shown, then taken back. */
  wentBack: string[] = [];
  epoch: string | undefined;
  /** Connect again (resuming) when the server cuts the socket, as the board does; how often it did. */
  autoReconnect = false;
  reconnections = 0;
  private socket: LiveSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly subscribe?: Subscription,
  ) {}

  /** Connects (again) to `url`, by default the one it was made with: another process resumes it. */
  connect(url = this.url): void {
    const auth: Record<string, unknown> = { token: this.token };
    if (this.collections) auth.lastSeq = this.seq;
    if (this.collections && this.epoch) auth.epoch = this.epoch;
    if (this.subscribe) auth.subscribe = this.subscribe;
    const socket = connectLive(url, auth);
    socket.on('snapshot', (s) => {
      if (this.collections && s.epoch !== undefined && s.epoch === this.epoch && s.seq < this.seq) this.wentBack.push(`snapshot at ${s.seq} after ${this.seq}`);
      this.epoch = s.epoch ?? this.epoch;
      this.collections = s.collections;
      this.seq = s.seq;
      this.snapshots++;
    });
    socket.on('replay', (r) => {
      if (r.after !== this.seq) this.outOfOrder.push(`replay after ${r.after} at ${this.seq}`);
      this.replays++;
      for (const d of r.deltas) this.apply(d);
    });
    socket.on('delta', (d) => this.apply(d));
    socket.on('disconnect', () => {
      if (!this.autoReconnect || this.socket !== socket) return;
      this.reconnections++;
      setTimeout(() => this.socket === socket && this.connect(url), 250);
    });
    this.socket = socket;
  }

  disconnect(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  private apply(delta: Delta): void {
    if (!this.collections) return;
    const from = delta.from ?? delta.seq;
    if (from !== this.seq + 1 || delta.seq < from) {
      this.outOfOrder.push(`delta ${from}…${delta.seq} at ${this.seq}`);
      return;
    }
    applyDelta(this.collections, delta);
    this.seq = delta.seq;
  }
}
