// One blocking reader per process: it tails the event stream (`events`, one entry per delta,
// id `<seq>-0`) and hands the deltas to the subscribers in seq order, only once replicas hold
// them (barrier). After a lost connection it checks that the stream is still the one it left;
// if not (Redis came back without its last events, or empty) it tells the subscribers to reload.
import { z } from 'zod';
import { Change, type Delta } from '../../schema/index.ts';
import { Listeners } from '../listeners.ts';
import type { DeltaListener } from '../store.ts';
import type { RedisApplier } from './apply.ts';
import type { Connection } from './connection.ts';
import type { RedisContext } from './context.ts';

const ChangesSchema = z.array(Change).min(1);
const AT_FIELD = Buffer.from('at');

/** A stream entry as a delta ([] when it is malformed: dropped and logged). */
export function decodeEvent(id: string, fields: string[], onError: (message: string, error: unknown) => void): Delta[] {
  try {
    const seq = Number(id.split('-')[0]);
    const at = Number(fields[fields.indexOf('at') + 1]);
    const changes = ChangesSchema.parse(JSON.parse(fields[fields.indexOf('changes') + 1] ?? ''));
    return [{ seq, at, changes }];
  } catch (err) {
    onError(`dropped malformed event ${id}`, err);
    return [];
  }
}

export class RedisEventReader {
  readonly #listeners = new Listeners<Delta>();
  readonly #resets = new Listeners<void>();
  #started: Promise<void> | null = null;
  /** How often the reader's connection was lost (its loop checks the stream after each). */
  #reconnections = 0;

  constructor(
    private readonly ctx: RedisContext,
    private readonly applier: RedisApplier,
    /** The store's seq as the command connection reads it. */
    private readonly currentSeq: () => Promise<number>,
  ) {}

  async subscribe(listener: DeltaListener, onReset?: () => void): Promise<() => void> {
    if (!this.#started) {
      this.applier.readerStarted = true;
      this.#started = this.#start();
    }
    await this.#started;
    const unsubscribe = this.#listeners.add(listener);
    const unreset = onReset ? this.#resets.add(onReset) : () => {};
    return () => {
      unsubscribe();
      unreset();
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#resets.clear();
  }

  async #start(): Promise<void> {
    // ioredis sends a read cut by a lost connection again once it reconnects; its answer
    // is dropped (the reconnection count moved on) until the reader has checked that the
    // stream it returned to is the one it left. (autoResendUnfulfilledCommands: false
    // would leave that read unanswered for ever in ioredis 6.)
    const reader = this.ctx.duplicate('redis reader connection error', 'event stream reader', () => this.#reconnections++);
    reader.on('reconnecting', () => this.#reconnections++);
    // Starting from a seq a failover could take back would skip the other change given that seq.
    // (Best effort: a process starting while no replica answers still starts, as it would without WAIT.)
    const seq = await this.currentSeq();
    await this.ctx.barrier().catch((err: unknown) => this.ctx.onError('the stream reader starts from a seq no replica confirmed yet', err));
    void this.#readLoop(reader, `${seq}-0`);
  }

  /**
   * An event this process wrote itself is handed on as the changes it wrote (already
   * validated before writing): no parsing and re-validating its own JSON. Others' are
   * decoded. The event of a script still unanswered may be its own: those are awaited first.
   */
  async #ownOrDecoded(id: string, fields: () => string[]): Promise<Delta[]> {
    const { written, applying } = this.applier;
    const seq = Number(id.split('-')[0]);
    if (!written.has(seq) && applying.size > 0) await Promise.allSettled([...applying]);
    const own = written.get(seq);
    if (!own) return decodeEvent(id, fields(), this.ctx.onError);
    written.delete(seq);
    return [{ seq, at: own.at, changes: own.changes }];
  }

  /**
   * After a lost connection: is the last event this reader delivered still in the
   * stream, unchanged? Not so when Redis restarted without its last writes or empty;
   * then the reader starts again from the store's present seq and tells the
   * subscribers to reload (nothing they hold can be trusted to match).
   */
  async #sameStream(reader: Connection, lastId: string, lastAt: string | null): Promise<boolean> {
    const lastSeq = Number(lastId.split('-')[0]);
    if (lastAt === null) return Number((await reader.get(this.ctx.key('seq'))) ?? 0) >= lastSeq;
    const [entry] = await reader.xrange(this.ctx.key('events'), lastId, lastId);
    return !!entry && entry[1][entry[1].indexOf('at') + 1] === lastAt;
  }

  async #readLoop(reader: Connection, startId: string): Promise<void> {
    let lastId = startId;
    /** The `at` field of the event at lastId (null: none delivered yet). */
    let lastAt: string | null = null;
    /** The reconnections already checked for; -1 forces a check (after a failed read). */
    let checked = this.#reconnections;
    while (!this.ctx.closed) {
      try {
        if (checked !== this.#reconnections) {
          checked = this.#reconnections;
          if (!(await this.#sameStream(reader, lastId, lastAt))) {
            const seq = Number((await reader.get(this.ctx.key('seq'))) ?? 0);
            this.ctx.onError(`the event stream lost its place (was at ${lastId}, the store is at ${seq}): subscribers reload`, null);
            lastId = `${seq}-0`;
            lastAt = null;
            this.applier.written.clear();
            this.applier.known.clear();
            this.#resets.emit();
          }
        }
        // As bytes: the changes of this process's own events are never turned into text.
        const result = await reader.xreadBuffer('COUNT', 500, 'BLOCK', 1000, 'STREAMS', this.ctx.key('events'), lastId);
        if (!result || checked !== this.#reconnections) continue;
        // Handed on only once replicas hold them (else read again from lastId): a screen never
        // sees a seq that a failover can take back and give to other changes.
        await this.ctx.barrier(reader);
        if (checked !== this.#reconnections) continue;
        for (const [, entries] of result) {
          for (const [idBytes, fieldBytes] of entries) {
            const id = idBytes.toString();
            lastId = id;
            const atIndex = fieldBytes.findIndex((f) => f.equals(AT_FIELD));
            lastAt = fieldBytes[atIndex + 1]?.toString() ?? null;
            for (const delta of await this.#ownOrDecoded(id, () => fieldBytes.map((f) => f.toString()))) this.#listeners.emit(delta);
          }
        }
      } catch (err) {
        if (this.ctx.closed) break;
        checked = -1;
        this.ctx.onError('event stream read failed; retrying', err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
