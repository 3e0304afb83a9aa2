// The field tablet's outbox: taps made while offline (or while the link is bad) are
// kept on the device, shown as pending and sent in order when the link returns, each
// exactly once — every operation carries an id made here, and the server applies an
// id only once, so resending after a lost answer is safe. An operation the server
// refuses for good (403, 404, 400) stays, marked with the server's message, until the
// lead discards it: nothing is dropped silently.
import type { SamplingPointOp } from '../../../server/schema/index.ts';
import { storageKey } from './storage-key.ts';

export interface PendingOp {
  opId: string;
  pointId: string;
  op: SamplingPointOp['op'];
  createdAt: number;
  /** Set when the server refused it for good. */
  error?: string;
}

/** What sending one operation came to. */
export type SendResult = 'done' | 'retry' | { refused: string };

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = storageKey('field-outbox');

export class Outbox {
  private items: PendingOp[];
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 1000;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly send: (item: PendingOp) => Promise<SendResult>,
    private readonly onChange: (items: readonly PendingOp[]) => void = () => {},
    private readonly newId: () => string = () => crypto.randomUUID(),
    private readonly now: () => number = () => Date.now(),
  ) {
    try {
      const saved = JSON.parse(storage.getItem(KEY) ?? '[]') as PendingOp[];
      this.items = Array.isArray(saved) ? saved : [];
    } catch {
      this.items = [];
    }
  }

  get pending(): readonly PendingOp[] {
    return this.items;
  }

  private save(): void {
    this.storage.setItem(KEY, JSON.stringify(this.items));
    this.onChange([...this.items]);
  }

  /** Keeps the tap on the device first, then tries to send. */
  add(pointId: string, op: PendingOp['op']): PendingOp {
    const item: PendingOp = { opId: this.newId(), pointId, op, createdAt: this.now() };
    this.items.push(item);
    this.save();
    void this.flush();
    return item;
  }

  discard(opId: string): void {
    this.items = this.items.filter((i) => i.opId !== opId);
    this.save();
  }

  /**
   * Sends what is waiting, oldest first. Stops at the first that cannot go now (no link,
   * server busy) and tries again later, each time waiting longer (up to 30 s). A call
   * while a round is under way runs another round after it.
   */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.round();
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    clearTimeout(this.retryTimer);
    for (const item of [...this.items]) {
      if (item.error || !this.items.some((i) => i.opId === item.opId)) continue;
      const result = await this.send(item).catch((): SendResult => 'retry');
      if (result === 'retry') {
        this.retryTimer = setTimeout(() => void this.flush(), this.backoffMs);
        this.backoffMs = Math.min(30_000, this.backoffMs * 2);
        return;
      }
      this.backoffMs = 1000;
      if (result === 'done') this.items = this.items.filter((i) => i.opId !== item.opId);
      else this.items = this.items.map((i) => (i.opId === item.opId ? { ...i, error: result.refused } : i));
      this.save();
    }
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }
}

/** The queue a point shows while taps wait: its last known value with them applied. */
export function pendingQueue(serverQueue: number, ops: readonly PendingOp[]): number {
  let q = serverQueue;
  for (const { op, error } of ops) {
    if (error) continue;
    if (op.kind === 'queue-add') q = Math.max(0, q + op.delta);
    else if (op.kind === 'queue-set') q = op.value;
  }
  return q;
}
