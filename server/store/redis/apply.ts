// The one atomic step through which every change reaches Redis (the apply script, lua.ts),
// with WAIT behind it where the board waits for a replica, and what this process remembers
// of its own writes: the versions it wrote (KnownEntities, for its next compare-and-set) and
// the changes of each seq it wrote, until its own event reader hands them on.
import { createHash } from 'node:crypto';
import type { Change } from '../../schema/index.ts';
import { KnownEntities, type Expectation } from '../known-entities.ts';
import type { RedisContext } from './context.ts';
import { APPLY_SCRIPT } from './lua.ts';

/** Plain keys written with a delta, a message published once it is written, and the seq the store must still be at. */
export interface ApplyExtra {
  sets: [string, string][];
  publish: [string, string] | null;
  seq?: number;
}
/** An operation a client may send more than once: its key and how long it is remembered. */
export type Once = { key: string; ttlMs: number };
/** EVAL's arguments after the script: numkeys, the keys, then ARGV. */
type ApplyCall = [numKeys: number, ...keysThenArgs: (string | number)[]];

export class RedisApplier {
  /** The last version of each entity this process wrote or read, with the entity it is (see known-entities.ts). */
  readonly known = new KnownEntities();
  /** Changes this process wrote, by seq, until its own reader hands them on (bounded). */
  readonly written = new Map<number, { at: number; changes: Change[] }>();
  /** Scripts of this process not yet answered: the reader waits for them before decoding an event it does not know. */
  readonly applying = new Set<Promise<number>>();
  /** True once this process has an event reader (only then are its own writes kept for it). */
  readerStarted = false;
  readonly #sha = createHash('sha1').update(APPLY_SCRIPT).digest('hex');

  constructor(
    private readonly ctx: RedisContext,
    private readonly retention: number,
  ) {
    // A lost connection may mean another Redis (a failover, a restart from an older file):
    // versions there may have gone back, so what this process knew of them is dropped.
    ctx.redis.on('close', () => this.known.clear());
    ctx.commandRestarted.add(() => this.known.clear());
  }

  /** The seq written, -1 when an expectation failed, -2 when the once key was taken. */
  async run(changes: Change[], at: number, expect: Expectation[], once: Once | null = null, extra: ApplyExtra = { sets: [], publish: null }): Promise<number> {
    if (changes.length === 0) throw new Error('apply: no changes');
    const key = (name: string) => this.ctx.key(name);
    // Every key the script touches, declared (lua.ts): one slot on a cluster.
    const keys: string[] = [key('seq'), key('events'), key('geo:ambulances'), once ? key(`op:${once.key}`) : key('seq')];
    const args: (string | number)[] = [
      this.retention,
      at,
      expect.length,
      changes.length,
      once ? '1' : '',
      once ? Math.max(1, Math.round(once.ttlMs)) : 0,
      extra.sets.length,
      extra.publish ? key(extra.publish[0]) : '',
      extra.publish?.[1] ?? '',
      extra.seq ?? '',
    ];
    for (const [collection, id, version] of expect) {
      keys.push(key(`v:${collection}`));
      args.push(id, version);
    }
    // Each entity is serialised once: the script writes it to its hash and into the event.
    for (const change of changes) {
      keys.push(key(`v:${change.collection}`), key(`e:${change.collection}`));
      if (change.op === 'upsert') {
        const fix = change.collection === 'ambulances' ? change.entity.fix : null;
        args.push('upsert', change.collection, change.entity.id, JSON.stringify(change.entity), fix?.lng ?? '', fix?.lat ?? '');
      } else {
        args.push('remove', change.collection, change.id, JSON.stringify(change), '', '');
      }
    }
    for (const [name, value] of extra.sets) {
      keys.push(key(name));
      args.push(value);
    }
    const call: ApplyCall = [keys.length, ...keys, ...args];
    // Kept for this process's own reader until the script answers: its event may reach
    // the reader (another connection) before the answer reaches us.
    const pending = this.readerStarted ? { at, changes } : null;
    // Confirmed by a replica first where the board waits for one (a seq a failover took back
    // is written again with other changes).
    const inFlight = this.ctx.waitReplicas > 0 ? this.#applyConfirmed(call) : this.#evalApply(call).then(Number);
    if (pending) this.applying.add(inFlight);
    let seq: number;
    try {
      seq = await inFlight;
    } finally {
      if (pending) this.applying.delete(inFlight);
    }
    if (seq > 0) {
      // Kept for this process's own reader, only while it has one to hand them to.
      if (pending) {
        this.written.set(seq, pending);
        if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value!);
      }
      this.known.written(changes, expect);
    }
    return seq;
  }

  async #evalApply(call: ApplyCall): Promise<unknown> {
    try {
      return await this.ctx.redis.evalsha(this.#sha, ...call);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return this.ctx.redis.eval(APPLY_SCRIPT, ...call);
    }
  }

  /**
   * The atomic step, then WAIT. With no WAIT under way, both in one round trip (WAIT right
   * behind the script on the same connection); else the write shares the next WAIT. A change
   * the replicas did not confirm in time throws StoreUnavailableError: it may still be on the
   * primary, so a client retries it with the same opId (applied exactly once).
   */
  async #applyConfirmed(call: ApplyCall): Promise<number> {
    const ctx = this.ctx;
    if (ctx.confirming) {
      const seq = Number(await this.#evalApply(call));
      if (seq > 0) await ctx.confirmed();
      return seq;
    }
    const sent = ctx.redis
      .pipeline()
      .evalsha(this.#sha, ...call)
      .wait(ctx.waitReplicas, ctx.waitTimeoutMs)
      .exec();
    const flight = ctx.inFlight(
      sent.then((results) => {
        const [err, acks] = results?.[1] ?? [new Error('WAIT was not answered'), 0];
        if (err) throw err;
        return acks;
      }),
    );
    const [scriptErr, result] = (await sent.catch((err: unknown) => [[err, null]]))?.[0] ?? [new Error('the apply script was not answered'), null];
    if (scriptErr) {
      if (!(scriptErr instanceof Error) || !scriptErr.message.includes('NOSCRIPT')) throw scriptErr;
      const seq = Number(await ctx.redis.eval(APPLY_SCRIPT, ...call));
      if (seq > 0) await ctx.confirmed();
      return seq;
    }
    // Also when nothing was written (a conflict, a repeat): the replicas' answer says whether
    // writing can work now, so a conflict loop does not wait out the timeout on every attempt.
    await flight;
    return Number(result);
  }
}
