// Watches the units on transfer tasks arrive (domain/arrival-fence.ts): every fix written
// to the store, by any path (the position routes, OsmAnd, JT/T 808, the simulator) and any
// process, reaches it as a delta; when a fence changes (the unit came in, stayed, drove by
// or left), the task's arrival record is written, compare-and-set against the task and its
// unit, so two processes watching at once write it once. An arrival proposes the next step
// on the task, which travels to the console with the task itself; where the county
// configures ARRIVAL_AUTO_RECORD the board records the step itself, through the same
// dispatch path the dispatcher's click takes, and audits it.
import { nextArrival, proposal, type FenceSettings } from '../domain/arrival-fence.ts';
import type { Ambulance, Delta, Hospital, LngLat, TransferTask } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import type { Dispatch } from './dispatch.ts';

export interface ArrivalOptions {
  fence: FenceSettings;
  autoRecord: boolean;
}

/** Who records a step when the board does it by itself. */
export const AUTO_RECORDER = 'auto';

export interface AutoRecorded {
  task: TransferTask;
  before: TransferTask;
}

export class ArrivalWatch {
  private readonly tasks = new Map<string, TransferTask>();
  private hospitals: Record<string, Hospital> = {};
  private unsubscribe: (() => void) | null = null;
  /** Deltas heard before the first snapshot was read (applied after it, by seq). */
  private buffered: Delta[] | null = null;
  private loadedSeq = 0;
  /** Writes run one after another; a fix that changes nothing writes nothing. */
  private chain: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: LiveStore,
    private readonly dispatch: Dispatch,
    private readonly decontaminationPoints: readonly { id: string; location: LngLat }[],
    private readonly options: ArrivalOptions,
    private readonly clock: () => number,
    private readonly hooks: { onAutoRecorded?: (r: AutoRecorded) => Promise<void>; onError?: (message: string, err: unknown) => void } = {},
  ) {}

  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.buffered = [];
    this.unsubscribe = await this.store.subscribe(
      (delta) => this.hear(delta),
      () => void this.load().catch((err: unknown) => this.hooks.onError?.('arrival watch could not reload', err)),
    );
    await this.load();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.chain;
  }

  /** Resolves once every write started so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async load(): Promise<void> {
    const snap = await this.store.snapshot();
    this.tasks.clear();
    for (const t of Object.values(snap.collections.transfers)) this.keep(t);
    this.hospitals = { ...snap.collections.hospitals };
    this.loadedSeq = snap.seq;
    const early = this.buffered ?? [];
    this.buffered = null;
    for (const d of early) if (d.seq > this.loadedSeq) this.apply(d);
  }

  private hear(delta: Delta): void {
    if (this.buffered) this.buffered.push(delta);
    else this.apply(delta);
  }

  private keep(t: TransferTask): void {
    if (t.ambulanceId && t.status !== 'closed' && t.status !== 'cancelled') this.tasks.set(t.id, t);
    else this.tasks.delete(t.id);
  }

  private apply(delta: Delta): void {
    const moved: Ambulance[] = [];
    for (const c of delta.changes) {
      if (c.op !== 'upsert') {
        if (c.collection === 'transfers') this.tasks.delete(c.id);
        continue;
      }
      if (c.collection === 'transfers') this.keep(c.entity);
      else if (c.collection === 'hospitals') this.hospitals[c.entity.id] = c.entity;
      else if (c.collection === 'ambulances' && c.entity.taskId && c.entity.fix) moved.push(c.entity);
    }
    for (const unit of moved) this.check(unit);
  }

  private places() {
    return { hospitals: this.hospitals, decontaminationPoints: this.decontaminationPoints };
  }

  /** One fix of a unit on a task: a write only when its fence changes. */
  private check(unit: Ambulance): void {
    const task = this.tasks.get(unit.taskId!);
    if (!task || task.ambulanceId !== unit.id || !unit.fix || this.pending.has(task.id)) return;
    const { arrival } = nextArrival(task, unit.fix, this.places(), this.options.fence);
    if (arrival === (task.arrival ?? null)) return;
    this.pending.add(task.id);
    this.chain = this.chain
      .then(() => this.write(task.id, unit.id))
      .catch((err: unknown) => this.hooks.onError?.('arrival watch could not write', err))
      .finally(() => this.pending.delete(task.id));
  }

  private async write(taskId: string, unitId: string): Promise<void> {
    let arrived: TransferTask | null = null;
    await this.store.updateMany(
      [
        { collection: 'transfers', id: taskId },
        { collection: 'ambulances', id: unitId },
      ],
      ([t, u]) => {
        arrived = null;
        const task = t as TransferTask | undefined;
        const unit = u as Ambulance | undefined;
        if (!task || !unit?.fix || task.ambulanceId !== unit.id || unit.taskId !== task.id) return null;
        const { arrival, event } = nextArrival(task, unit.fix, this.places(), this.options.fence);
        if (arrival === (task.arrival ?? null)) return null;
        const next: TransferTask = { ...task, arrival, updatedAt: this.clock() };
        if (event === 'arrived') arrived = next;
        return [{ op: 'upsert', collection: 'transfers', entity: next }];
      },
      this.clock(),
    );
    const done = arrived as TransferTask | null;
    if (!done || !this.options.autoRecord) return;
    const p = proposal(done);
    if (!p) return;
    const outcome = await this.dispatch.transition(done.id, { to: p.to, from: done.status, arrival: true }, AUTO_RECORDER);
    // Another process recorded it first (or a dispatcher did): nothing to audit here.
    if (outcome.ok) await this.hooks.onAutoRecorded?.({ task: outcome.value, before: done });
  }
}
