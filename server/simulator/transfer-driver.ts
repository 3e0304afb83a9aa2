// The simulator's 120 centre: calls come in at a plausible rate (seeded), each is dispatched
// by the centre's rules through the dispatch service (the recommended unit, the hospital by
// its tiers), and its crew goes through the steps as a real one would: rolling after a
// short delay, driving to the pickup, on scene, transporting to the hospital, handing over,
// and after a high-risk transfer terminal disinfection at a decontamination point. Arrivals
// are not faked: the unit drives there, the board's arrival watch proposes the step, and the
// simulated dispatcher accepts the proposal a little later (or the board records it itself,
// ARRIVAL_AUTO_RECORD). Tasks a person created are driven (the unit goes where the task
// says) but never stepped: their steps are the dispatcher's.
import { proposal } from '../domain/arrival-fence.ts';
import { distanceMeters } from '../geo/distance.ts';
import type { CallAnswers, LngLat, TransferStatus, TransferTask } from '../schema/index.ts';
import type { Dispatch } from '../services/dispatch.ts';
import type { Hospital } from '../schema/index.ts';

/** Who the simulated dispatcher is, in steps and tasks. */
export const SIM_DISPATCHER = 'simulator';

/** An own task's next action: due at `at` (∞: waiting for an arrival); after a high-risk hand-over the unit leaves at `leaveAt`. */
interface Plan {
  status: TransferStatus;
  at: number;
  accepting: boolean;
  leaveAt?: number;
}

/** Mean simulated seconds between calls (by default). */
const CALL_EVERY_SECONDS = 600;

export interface TransferDriverOptions {
  dispatch: Dispatch;
  /** Grids with a population, to place calls where people live. */
  grids: readonly { id: string; population: number }[];
  decontaminationPoints: readonly { id: string; location: LngLat }[];
  random: () => number;
  /** Time multiplier for the crews' delays (never for the shortest disinfection, a rule). */
  speed: number;
  minDisinfectionMs: number;
  /** Mean simulated seconds between calls (default 600; Infinity: no calls of its own, only the tasks it is given). */
  callEverySeconds?: number;
}

/** The calls the centre takes, by share: rule 1, rule 2 with history, fever without history, routine. */
function randomCall(random: () => number): CallAnswers {
  const r = random();
  const none = { travel: false, residence: false, contact: false, exposure: false };
  const some = random() < 0.5 ? { ...none, contact: true } : { ...none, travel: true };
  if (r < 0.45) return { symptoms: true, history: some, condition: 'stable', facilityTransfer: false };
  if (r < 0.55) return { symptoms: true, history: none, condition: 'stable', facilityTransfer: true };
  if (r < 0.7) return { symptoms: true, history: some, condition: random() < 0.5 ? 'critical' : 'unknown', facilityTransfer: false };
  if (r < 0.85) return { symptoms: true, history: none, condition: 'unknown', facilityTransfer: false };
  return { symptoms: false, history: none, condition: 'critical', facilityTransfer: false };
}

export class TransferDriver {
  /** For each own task: the status it was in when its next action was planned, and when that action is due. */
  private readonly due = new Map<string, Plan>();
  private readonly cumulative: number[] = [];
  private readonly population: number;

  constructor(private readonly o: TransferDriverOptions) {
    let sum = 0;
    for (const g of o.grids) this.cumulative.push((sum += g.population));
    this.population = sum;
  }

  /** Simulated seconds as real milliseconds. */
  private ms(seconds: number): number {
    return (seconds * 1000) / this.o.speed;
  }

  private between(min: number, max: number): number {
    return min + (max - min) * this.o.random();
  }

  /** A grid, by population. */
  private pickGrid(): string | null {
    if (this.population <= 0) return null;
    const x = this.o.random() * this.population;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.o.grids[lo]?.id ?? null;
  }

  /** One call, dispatched to the unit the rules recommend; null when no unit may go. */
  async call(now: number): Promise<TransferTask | null> {
    const gridId = this.pickGrid();
    if (!gridId) return null;
    const call = randomCall(this.o.random);
    const rec = await this.o.dispatch.recommend({ call, pickup: { gridId }, limit: 1 });
    if (!rec.ok) return null;
    const unit = rec.value.options[0] ?? rec.value.fallback?.options[0];
    if (!unit) return null;
    const made = await this.o.dispatch.createTransfer(
      { call, pickup: { gridId }, address: `${rec.value.pickup.gridName ?? ''}`, patient: `模拟患者${Math.floor(this.o.random() * 900 + 100)}`, ambulanceId: unit.ambulanceId },
      SIM_DISPATCHER,
    );
    if (!made.ok) return null;
    // Most crews roll within a minute or two; a few take longer than the 3 minutes.
    const roll = this.o.random() < 0.08 ? this.between(200, 420) : this.between(20, 150);
    this.due.set(made.value.id, { status: 'assigned', at: now + this.ms(roll), accepting: false });
    return made.value;
  }

  /** Starts `n` calls at once, their units already rolling (the demo moves from the first second). */
  async startCalls(n: number, now: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const task = await this.call(now);
      if (task) await this.o.dispatch.transition(task.id, { to: 'en-route', from: 'assigned' }, SIM_DISPATCHER);
    }
  }

  /**
   * Where the unit of a task drives now: the pickup en route, the hospital transporting, the
   * nearest decontamination point after a high-risk hand-over (once handed over: a while after
   * arriving at the hospital); null while it stays where it is.
   */
  targetOf(task: TransferTask, at: LngLat, hospitals: Record<string, Hospital>, now: number): LngLat | null {
    if (task.status === 'en-route') return task.pickup.location;
    if (task.status === 'transporting') return (task.destinationId && hospitals[task.destinationId]?.location) || null;
    if (task.status === 'handed-over' && task.highRisk) {
      // The crew hands over and cleans up before driving to disinfection.
      const own = this.due.get(task.id);
      if (own && own.status === 'handed-over' && own.leaveAt !== undefined && now < own.leaveAt) return null;
      let best: LngLat | null = null;
      let bestMeters = Infinity;
      for (const p of this.o.decontaminationPoints) {
        const m = distanceMeters(at[0], at[1], p.location[0], p.location[1]);
        if (m < bestMeters) [best, bestMeters] = [p.location, m];
      }
      return best;
    }
    return null;
  }

  /** Takes a call now and then, and moves the simulator's own tasks on when their time comes. */
  async step(now: number, seconds: number, tasks: Iterable<TransferTask>): Promise<void> {
    if (this.o.random() < seconds / (this.o.callEverySeconds ?? CALL_EVERY_SECONDS)) await this.call(now);
    for (const task of tasks) {
      if (task.createdBy !== SIM_DISPATCHER || task.status === 'closed' || task.status === 'cancelled') {
        this.due.delete(task.id);
        continue;
      }
      await this.advance(task, now);
    }
  }

  private async advance(task: TransferTask, now: number): Promise<void> {
    let plan = this.due.get(task.id);
    const offer = proposal(task);
    if (!plan || plan.status !== task.status || (offer && !plan.accepting)) {
      plan = this.plan(task, now, offer !== null);
      this.due.set(task.id, plan);
    }
    if (now < plan.at) return;
    const step = (to: TransferStatus, extra: Record<string, unknown> = {}) => this.o.dispatch.transition(task.id, { to, from: task.status, ...extra }, SIM_DISPATCHER);
    if (offer) {
      const handover = offer.to === 'handed-over' ? { handover: { sendingSide: task.pickup.address || task.pickup.townName || '', receivedBy: '急诊科值班护士' } } : {};
      await step(offer.to, { arrival: true, ...handover });
      return;
    }
    if (task.status === 'assigned') await step('en-route');
    else if (task.status === 'on-scene') await step('transporting');
    else if (task.status === 'handed-over' && !task.highRisk) await step('closed');
    else if (task.status === 'disinfecting') await step('closed', { decontaminationPointId: task.decontamination?.pointId });
    // Waiting for an arrival: planned again when the board proposes it.
    this.due.set(task.id, { status: task.status, at: Number.POSITIVE_INFINITY, accepting: false });
  }

  /** When the next action of a task in its status is due. */
  private plan(task: TransferTask, now: number, accepting: boolean): Plan {
    const since = task.steps.at(-1)?.at ?? now;
    if (task.status === 'handed-over' && task.highRisk && !accepting) {
      return { status: task.status, at: Number.POSITIVE_INFINITY, accepting, leaveAt: since + this.ms(this.between(60, 180)) };
    }
    const at = (() => {
      // A dispatcher confirms a detected arrival within half a minute or so: a person's time,
      // not sped up (the step is dated at the arrival anyway), so a demo's proposals stay in view.
      if (accepting) return now + this.between(8_000, 40_000);
      switch (task.status) {
        case 'assigned':
          return since + this.ms(this.between(20, 150));
        case 'on-scene':
          return since + this.ms(this.between(180, 480));
        case 'handed-over':
          return since + this.ms(this.between(60, 180));
        case 'disinfecting':
          return (task.decontamination?.startedAt ?? since) + Math.max(this.o.minDisinfectionMs, this.ms(this.between(900, 1500))) + 1000;
        default:
          return Number.POSITIVE_INFINITY;
      }
    })();
    return { status: task.status, at, accepting };
  }
}
