// Coverage kept current (issue 18, parts 1 and 2): every ambulance change the store
// reports (a fix, a status) reaches the coverage index, which searches the roads again
// only for the unit that changed; figures, the uncovered-town alerts and the move-up
// suggestions are computed from the index when asked (and kept while it stands). Accepting
// a move-up writes the unit's move task, compare-and-set: only while the move is still
// suggested, the unit still idle, and no other move of that unit en route.
import { coverageAlertCandidates, coverageFigures, suggestMoveUps, type CoverageFigures, type MoveUpSuggestion, type StandbyPoint } from '../domain/coverage.ts';
import { eligibility } from '../domain/eligibility.ts';
import type { AlertCandidate } from '../domain/alert-rules.ts';
import { distanceMeters } from '../geo/distance.ts';
import { CoverageIndex, type UnitState } from '../routing/coverage-index.ts';
import type { ReachProvider } from '../routing/reach.ts';
import { MoveTask, type Ambulance, type Delta, type GridProps, type LngLat } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import { endMoveTask, moveTaskId, writeMoveTask, type MoveOutcome } from './move-tasks.ts';

export interface CoverageOptions {
  thresholdsMin: number[];
  targetMin: number;
  toleranceMeters: number;
  fixStaleMs: number;
  /** A moving unit this close to its standby point has arrived. */
  arrivedMeters?: number;
}

/** The grids served now and a way to reach them; replaced when a grid import is committed. */
export interface CoverageGrids {
  version: string;
  grids: readonly GridProps[];
  reach: ReachProvider;
}

export interface CoverageState {
  version: number;
  at: number;
  router: string;
  figures: CoverageFigures;
  /** Per grid (in `grids` order): minutes to the nearest negative-pressure / ordinary unit, null beyond the search. */
  grids: { id: string; negativePressure: number | null; ordinary: number | null }[];
  suggestions: MoveUpSuggestion[];
}

/** A refused move may carry the fresh suggestions. */
export { moveTaskId, type MoveOutcome } from './move-tasks.ts';
const minutes = (s: number): number | null => (Number.isFinite(s) ? Math.round(s / 6) / 10 : null);

export class Coverage {
  private index: CoverageIndex;
  private gridsVersion: string;
  private readonly held = new Map<string, Ambulance>();
  private readonly moves = new Map<string, MoveTask>();
  private readonly pointRows = new Map<string, Float64Array>();
  private dirty = new Map<string, Ambulance | null>();
  private flushing: Promise<void> | null = null;
  private cached: CoverageState | null = null;
  /** The grids the cached figures were counted over (a town import renames their towns without a new grid set). */
  private cachedGrids: CoverageGrids['grids'] | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private syncedSeq = -1;

  constructor(
    private readonly store: LiveStore,
    private readonly grids: () => CoverageGrids,
    readonly points: readonly StandbyPoint[],
    private readonly clock: () => number,
    private readonly options: CoverageOptions,
    private readonly routerName: string,
    private readonly onError: (message: string, err: unknown) => void = () => {},
  ) {
    const g = grids();
    this.gridsVersion = g.version;
    this.index = new CoverageIndex(g.grids.length, options.toleranceMeters);
  }

  /** Follows the store's changes, and looks at every unit again each `recheckMs` (fixes go stale without a change). */
  async start(recheckMs: number): Promise<void> {
    this.unsubscribe = await this.store.subscribe(
      (delta) => this.onDelta(delta),
      () => void this.sync(true).catch((err: unknown) => this.onError('coverage: reload failed', err)),
    );
    await this.sync(true);
    this.timer = setInterval(() => void this.recheck().catch((err: unknown) => this.onError('coverage: recheck failed', err)), recheckMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private onDelta(delta: Delta): void {
    for (const change of delta.changes) {
      if (change.collection === 'ambulances') this.dirty.set(change.op === 'upsert' ? change.entity.id : change.id, change.op === 'upsert' ? change.entity : null);
      else if (change.collection === 'moveTasks') {
        if (change.op === 'upsert') this.moves.set(change.entity.id, change.entity);
        else this.moves.delete(change.id);
        this.cached = null;
      }
    }
    this.syncedSeq = Math.max(this.syncedSeq, delta.seq);
    void this.flush().catch((err: unknown) => this.onError('coverage: update failed', err));
  }

  /** Reads the store when it has changed since (or always): every unit and move as they are. */
  async sync(force = false): Promise<void> {
    if (!force && (await this.store.seq()) <= this.syncedSeq) return this.flush();
    const snapshot = await this.store.snapshot();
    this.syncedSeq = snapshot.seq;
    const ids = new Set(Object.keys(snapshot.collections.ambulances));
    for (const a of Object.values(snapshot.collections.ambulances)) {
      // Units the feed already brought as they are now need nothing (a fix or status changes updatedAt).
      const held = this.held.get(a.id);
      if (force || !held || held.updatedAt !== a.updatedAt || held.status !== a.status || held.fix?.at !== a.fix?.at) this.dirty.set(a.id, a);
    }
    for (const id of this.held.keys()) if (!ids.has(id)) this.dirty.set(id, null);
    this.moves.clear();
    for (const m of Object.values(snapshot.collections.moveTasks)) this.moves.set(m.id, m);
    this.cached = null;
    await this.flush();
  }

  /** Eligibility depends on the fix's age: every held unit is looked at again. */
  private async recheck(): Promise<void> {
    for (const a of this.held.values()) if (!this.dirty.has(a.id)) this.dirty.set(a.id, a);
    await this.flush();
    await this.followMoves();
  }

  private stateOf(a: Ambulance, now: number): UnitState {
    return { id: a.id, cls: a.kind, eligible: eligibility(a, now, this.options.fixStaleMs) === 'eligible', at: a.fix ? [a.fix.lng, a.fix.lat] : null };
  }

  /** Applies the pending unit changes, one at a time (a row from OSRM is awaited); one drain at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
      // Changes that came in as the drain ended.
      if (this.dirty.size > 0) void this.flush().catch((err: unknown) => this.onError('coverage: update failed', err));
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    this.followGrids();
    while (this.dirty.size > 0) {
      const [id, a] = this.dirty.entries().next().value!;
      this.dirty.delete(id);
      if (!a) {
        this.held.delete(id);
        if (this.index.remove(id)) this.cached = null;
        continue;
      }
      this.held.set(id, a);
      const state = this.stateOf(a, this.clock());
      const row = this.index.needsRow(state) ? await this.grids().reach.secondsFrom(state.at!) : undefined;
      if (this.index.update(state, row)) this.cached = null;
    }
  }

  /** A new grid set: a new index, every unit searched again. */
  private followGrids(): void {
    const g = this.grids();
    if (g.version === this.gridsVersion) return;
    this.gridsVersion = g.version;
    this.index = new CoverageIndex(g.grids.length, this.options.toleranceMeters);
    this.pointRows.clear();
    for (const a of this.held.values()) if (!this.dirty.has(a.id)) this.dirty.set(a.id, a);
    this.cached = null;
  }

  private async pointRow(point: StandbyPoint): Promise<Float64Array> {
    let row = this.pointRows.get(point.id);
    if (!row) {
      row = await this.grids().reach.secondsFrom(point.location);
      this.pointRows.set(point.id, row);
    }
    return row;
  }

  /** The figures, each grid's minutes and the move-up suggestions, as of the store now. */
  async current(): Promise<CoverageState> {
    await this.sync();
    const { grids } = this.grids();
    if (this.cached && this.cached.version === this.index.version && this.cachedGrids === grids) return this.cached;
    const np = this.index.seconds('negative-pressure');
    const ordinary = this.index.seconds('ordinary');
    const figures = coverageFigures(
      grids.map((g) => ({ id: g.id, townName: g.townName, population: g.population })),
      np,
      ordinary,
      this.options.thresholdsMin,
    );
    const suggestions = await this.suggest();
    this.cached = {
      version: this.index.version,
      at: this.clock(),
      router: this.routerName,
      figures,
      grids: grids.map((g, i) => ({ id: g.id, negativePressure: minutes(np[i]!), ordinary: minutes(ordinary[i]!) })),
      suggestions,
    };
    this.cachedGrids = grids;
    return this.cached;
  }

  /** Move-up over the negative-pressure units in service: a unit already moving counts at its standby point. */
  private async suggest(): Promise<MoveUpSuggestion[]> {
    const rows = new Map<string, ArrayLike<number>>(this.index.rows('negative-pressure'));
    const idle: { id: string; callSign: string; at: LngLat }[] = [];
    for (const id of [...rows.keys()]) {
      const a = this.held.get(id);
      if (!a?.fix) continue;
      const move = this.moves.get(moveTaskId(id));
      const point = move?.status === 'en-route' ? this.points.find((p) => p.id === move.pointId) : undefined;
      if (point) rows.set(id, await this.pointRow(point));
      else idle.push({ id, callSign: a.callSign, at: [a.fix.lng, a.fix.lat] });
    }
    const points = await Promise.all(this.points.map(async (p) => ({ ...p, row: await this.pointRow(p) })));
    return suggestMoveUps({
      population: this.grids().grids.map((g) => g.population),
      rows,
      idle,
      points,
      targetSeconds: this.options.targetMin * 60,
    });
  }

  /** Alert candidates for the towns out of coverage (for services/alerts.ts). */
  async alertCandidates(): Promise<AlertCandidate[]> {
    return coverageAlertCandidates((await this.current()).figures);
  }

  /** The dispatcher accepts a suggestion: the unit's move task, written only if the move is still suggested and the unit still idle. */
  async accept(ambulanceId: string, pointId: string, by: string): Promise<MoveOutcome> {
    const point = this.points.find((p) => p.id === pointId);
    if (!point) return { ok: false, error: 'not-found', message: `no standby point ${pointId}` };
    const state = await this.current();
    const suggestion = state.suggestions.find((s) => s.ambulanceId === ambulanceId && s.pointId === pointId);
    if (!suggestion) {
      return { ok: false, error: 'conflict', message: '该调车建议已不成立，请按最新建议操作 (the suggestion no longer stands)', suggestions: state.suggestions };
    }
    const id = moveTaskId(ambulanceId);
    const outcome = await writeMoveTask(this.store, this.clock(), this.options.fixStaleMs, ambulanceId, point, suggestion, by);
    if (!outcome.ok) return outcome;
    this.moves.set(id, outcome.value);
    this.cached = null;
    return outcome;
  }
  /** Ends a move: arrived or cancelled (compare-and-set on its status: only one en route ends). */
  async end(id: string, status: 'arrived' | 'cancelled'): Promise<MoveOutcome> {
    const outcome = await endMoveTask(this.store, this.clock(), id, status);
    if (!outcome.ok) return outcome;
    this.moves.set(id, outcome.value);
    this.cached = null;
    return outcome;
  }
  /** Moves en route: arrived once the unit is at its point; cancelled once it took a call or left service. */
  async followMoves(): Promise<void> {
    const arrived = this.options.arrivedMeters ?? 200;
    for (const m of [...this.moves.values()]) {
      if (m.status !== 'en-route') continue;
      const a = this.held.get(m.ambulanceId);
      if (!a) continue;
      if (a.status !== 'available' || a.taskId !== null) await this.end(m.id, 'cancelled');
      else if (a.fix && distanceMeters(a.fix.lng, a.fix.lat, m.location[0], m.location[1]) <= arrived) await this.end(m.id, 'arrived');
    }
  }
}
