// What keeps one screen from costing the server more than its share: a flood of events is
// cut off (EventBudget), a screen that stops reading is cut off before its write buffer grows
// without bound (WriteBacklog), and what is written is measured (BytesSent). (The heartbeat,
// the server's side of a screen's own guard against a quiet feed, is a job of plugins/realtime.ts.)

/** Events a screen may send per second (it sends one resync per gap, one subscribe per town change). */
export const EVENTS_PER_SECOND = 10;

/** A screen's events in the current second. */
export class EventBudget {
  private second = 0;
  private count = 0;

  /** Counts one event at `nowMs`; true when it is more than EVENTS_PER_SECOND in its second. */
  spend(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (this.second !== second) {
      this.second = second;
      this.count = 0;
    }
    return ++this.count > EVENTS_PER_SECOND;
  }
}

/**
 * Messages emitted to a screen since its connection last drained its write buffer (engine.io's
 * 'drain'). A stalled screen would otherwise grow the server's memory without bound; cut off,
 * it reconnects and resumes from its last seq.
 */
export class WriteBacklog {
  unflushed = 0;

  constructor(private readonly limit: number) {}

  /** One more message; true when that is over the limit. */
  add(): boolean {
    return ++this.unflushed > this.limit;
  }

  drained(): void {
    this.unflushed = 0;
  }
}

/** Bytes of packets written to screens (socket.io's encoding, as engine.io sends them). */
export class BytesSent {
  total = 0;
  /** A frame shared by a class is one string written to each member: measured once. */
  private last: { data: string; bytes: number } = { data: '', bytes: 0 };

  count(data: unknown): void {
    if (typeof data === 'string') {
      if (data !== this.last.data) this.last = { data, bytes: Buffer.byteLength(data) };
      this.total += this.last.bytes;
    } else if (data instanceof Uint8Array) this.total += data.byteLength;
  }
}
