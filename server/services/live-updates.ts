// The one write path for live state: REST routes and the simulator both call it.
// It reads the current entity, applies the domain's change, stamps the grid of
// anything that moved, validates the result and writes it atomically.
// 300-line rule: one method per kind of live write (a queue tap, a hotel's rooms, a position,
// a status…), each a few lines over the shared read-change-validate-write step; split by kind,
// the one write path would be several.
import {
  Ambulance,
  Hospital,
  IsolationHotel,
  PositionReport,
  SamplingPoint,
  type CollectionName,
  type EntityOf,
  type HospitalUpdate,
  type HotelUpdate,
  type Change,
  type PositionBatch,
  type SamplingPointOp,
  type SamplingPointUpdate,
} from '../schema/index.ts';
import type { GridProps, GridStatus, RiskLevel } from '../schema/index.ts';
import { riskChanges } from '../domain/grid-risk.ts';
import { onDay } from '../domain/day-counters.ts';
import { minutesOfDay, reportDay } from '../domain/daily-report.ts';
import type { Locator } from '../geo/locator.ts';
import type { ChangeOutcome, Repeated } from '../schema/outcome.ts';
import type { LiveStore } from '../store/store.ts';
import type { z } from 'zod';
import { FixCounters, judgeFix, type FixLimits } from '../ingest/fix-filter.ts';
import { GRID_EDGE_MARGIN_METERS, stickyGridId } from '../geo/sticky-grid.ts';

/** Why a change was refused: the input does not fit the entity, or it conflicts with its state. */
export type Refusal = { refused: 'invalid' | 'conflict'; message: string };
export type Patch<C extends CollectionName> = (current: EntityOf<C>, now: number) => EntityOf<C> | Refusal;
const invalid = (message: string): Refusal => ({ refused: 'invalid', message });

export class LiveUpdates {
  /** Fixes taken and refused by the batch endpoint, by reason (for /metrics). */
  readonly positionCounters = new FixCounters();

  constructor(
    private readonly store: LiveStore,
    private readonly locator: Locator<GridProps>,
    private readonly clock: () => number,
    /** The county's zone: a site's "today" counters are its day's (server/domain/day-counters.ts). */
    private readonly timeZone: string,
    /** A moving unit keeps its grid until this far inside another (geo/sticky-grid.ts). */
    private readonly gridMarginMeters: number = GRID_EDGE_MARGIN_METERS,
  ) {}

  /** The county's date (YYYY-MM-DD) at `now`. */
  dayOf(now: number): string {
    return reportDay(now, this.timeZone).date;
  }

  /** Minutes after the county's midnight at `now`. */
  minuteOfDay(now: number): number {
    return minutesOfDay(now, this.timeZone);
  }

  /** The grid of a unit's new fix, with hysteresis at grid edges. */
  private gridOfFix(current: string | null, lng: number, lat: number): string | null {
    return stickyGridId(this.locator, current, lng, lat, this.gridMarginMeters);
  }

  updateSamplingPoint(id: string, patch: SamplingPointUpdate): Promise<ChangeOutcome<SamplingPoint>> {
    return this.patch('samplingPoints', id, SamplingPoint, (cur, now) => ({ ...onDay(cur, this.dayOf(now)), ...patch, updatedAt: now }));
  }

  /**
   * One field-lead operation on a sampling point, applied at most once per opId (a
   * tablet retrying after a lost answer): 'duplicate' when it was applied before.
   */
  async applySamplingOp(id: string, { opId, op }: SamplingPointOp): Promise<ChangeOutcome<SamplingPoint> | Repeated<SamplingPoint>> {
    const now = this.clock();
    let failure: ChangeOutcome<SamplingPoint> | null = null;
    let written: SamplingPoint | null = null;
    const delta = await this.store.updateOnce(
      { key: `sp-op:${opId}`, ttlMs: 7 * 86_400_000 },
      'samplingPoints',
      id,
      (cur) => {
        failure = null;
        if (!cur) {
          failure = { ok: false, error: 'not-found', message: `samplingPoints/${id} does not exist` };
          return null;
        }
        const next: SamplingPoint = { ...onDay(cur, this.dayOf(now)), updatedAt: now };
        if (op.kind === 'queue-add') next.queue = Math.max(0, cur.queue + op.delta);
        else if (op.kind === 'queue-set') next.queue = op.value;
        else if (op.kind === 'status') next.status = op.status;
        else if (op.kind === 'desks') next.desks = op.value;
        else next.stockLow = op.value;
        written = SamplingPoint.parse(next);
        return [{ op: 'upsert', collection: 'samplingPoints', entity: written }];
      },
      now,
    );
    if (failure) return failure;
    if (delta === 'duplicate') return { ok: 'duplicate', value: await this.store.get('samplingPoints', id) };
    if (!delta || !written) return { ok: false, error: 'not-found', message: `samplingPoints/${id} does not exist` };
    return { ok: true, value: written, seq: delta.seq };
  }

  updateHotel(id: string, patch: HotelUpdate): Promise<ChangeOutcome<IsolationHotel>> {
    return this.patch('hotels', id, IsolationHotel, (cur, now) => {
      const next = { ...onDay(cur, this.dayOf(now)), ...patch, updatedAt: now };
      if (next.rooms.occupied + next.rooms.cleaning > next.rooms.total) {
        return invalid('occupied + cleaning rooms exceed the total');
      }
      return next;
    });
  }

  updateHospital(id: string, patch: HospitalUpdate): Promise<ChangeOutcome<Hospital>> {
    return this.patch('hospitals', id, Hospital, (cur, now) => {
      const beds = { ...cur.beds, ...patch.beds };
      for (const [kind, count] of Object.entries(beds)) {
        if (count.occupied > count.total) return invalid(`beds.${kind}: occupied exceeds total`);
      }
      return { ...cur, ...patch, beds, updatedAt: now };
    });
  }

  /** A GPS fix for one ambulance: stamps its grid (kept at an edge); a fix older than the last one is refused. */
  reportPosition(id: string, report: z.input<typeof PositionReport>): Promise<ChangeOutcome<Ambulance>> {
    // Parsed once, not on every retry of the write.
    const { lng, lat, at, speed, heading } = PositionReport.parse(report);
    return this.patch('ambulances', id, Ambulance, (cur, now) => {
      const fix = { lng, lat, at: at ?? now, speed, heading };
      if (cur.fix && fix.at < cur.fix.at) {
        return { refused: 'conflict', message: `older than the last fix (${new Date(cur.fix.at).toISOString()})` };
      }
      return { ...cur, fix, gridId: this.gridOfFix(cur.gridId, lng, lat), updatedAt: now };
    });
  }

  /**
   * Many fixes in one atomic write (one seq): each judged by the position filter
   * against the unit's current fix (and the one before it in the batch); the newest
   * accepted fix of each unit is written. Refusals are reported per fix.
   */
  async reportPositions(
    batch: z.output<typeof PositionBatch>,
    limits: FixLimits,
  ): Promise<{ accepted: number; refused: { index: number; id: string; reason: string }[]; seq: number | null }> {
    const now = this.clock();
    const byUnit = new Map<string, { index: number; fix: Ambulance['fix'] & object }[]>();
    batch.fixes.forEach(({ id, lng, lat, at, speed, heading }, index) => {
      const list = byUnit.get(id) ?? [];
      list.push({ index, fix: { lng, lat, at: at ?? now, speed, heading } });
      byUnit.set(id, list);
    });
    const ids = [...byUnit.keys()];
    let refused: { index: number; id: string; reason: string }[] = [];
    let accepted = 0;
    const delta = await this.store.updateMany(
      ids.map((id) => ({ collection: 'ambulances' as const, id })),
      (current) => {
        refused = [];
        accepted = 0;
        const changes: Change[] = [];
        ids.forEach((id, i) => {
          const unit = current[i] as Ambulance | undefined;
          const fixes = byUnit.get(id)!.sort((a, b) => a.fix.at - b.fix.at);
          if (!unit) {
            for (const f of fixes) refused.push({ index: f.index, id, reason: 'not-found' });
            return;
          }
          let previous = unit.fix;
          let newest: (typeof fixes)[number] | null = null;
          for (const f of fixes) {
            const verdict = judgeFix(f.fix, previous, now, limits);
            if (verdict !== 'ok') {
              refused.push({ index: f.index, id, reason: verdict });
              continue;
            }
            accepted++;
            previous = f.fix;
            newest = f;
          }
          if (newest) {
            const gridId = this.gridOfFix(unit.gridId, newest.fix.lng, newest.fix.lat);
            changes.push({ op: 'upsert', collection: 'ambulances', entity: { ...unit, fix: newest.fix, gridId, updatedAt: now } });
          }
        });
        return changes.length ? changes : null;
      },
      now,
    );
    refused.sort((a, b) => a.index - b.index);
    for (let i = 0; i < accepted; i++) this.positionCounters.count('ok');
    for (const r of refused) if (r.reason !== 'not-found') this.positionCounters.count(r.reason as Parameters<FixCounters['count']>[0]);
    return { accepted, refused, seq: delta?.seq ?? null };
  }

  /**
   * Fixes already judged by their source (the JT/T 808 gateway), at most one per unit,
   * in one atomic write: each unit takes its fix as reportPosition would (grid stamped,
   * refused when older than the unit's fix). Returns the units not moved and why.
   */
  async writePositions(fixes: { ambulanceId: string; fix: z.input<typeof PositionReport> }[]): Promise<{ ambulanceId: string; error: 'not-found' | 'invalid' | 'conflict' }[]> {
    const now = this.clock();
    const unwritten: { ambulanceId: string; error: 'not-found' | 'invalid' | 'conflict' }[] = [];
    const units = fixes.flatMap(({ ambulanceId, fix }) => {
      const parsed = PositionReport.safeParse(fix);
      if (!parsed.success) {
        unwritten.push({ ambulanceId, error: 'invalid' });
        return [];
      }
      const { lng, lat, at, speed, heading } = parsed.data;
      return [{ ambulanceId, fix: { lng, lat, at: at ?? now, speed, heading } }];
    });
    if (units.length === 0) return unwritten;
    let refused: typeof unwritten = [];
    await this.store.updateMany(
      units.map(({ ambulanceId }) => ({ collection: 'ambulances' as const, id: ambulanceId })),
      (current) => {
        refused = [];
        const changes: Change[] = [];
        units.forEach(({ ambulanceId, fix }, i) => {
          const unit = current[i] as Ambulance | undefined;
          if (!unit) refused.push({ ambulanceId, error: 'not-found' });
          else if (unit.fix && fix.at < unit.fix.at) refused.push({ ambulanceId, error: 'conflict' });
          else changes.push({ op: 'upsert', collection: 'ambulances', entity: { ...unit, fix, gridId: this.gridOfFix(unit.gridId, fix.lng, fix.lat), updatedAt: now } });
        });
        return changes.length ? changes : null;
      },
      now,
    );
    return [...unwritten, ...refused];
  }

  /**
   * Sets a grid's risk level and, when it is sealed and `cascade` holds, puts its
   * neighbours under control (server/domain/grid-risk.ts), all in one atomic write.
   * Resolves to the grids that changed (none when the grid already had the level).
   */
  async setGridRisk(id: string, risk: RiskLevel, cascade: boolean): Promise<ChangeOutcome<GridStatus[], 'not-found'>> {
    if (!this.locator.byId(id)) return { ok: false, error: 'not-found', message: `网格不存在: ${id}` };
    const now = this.clock();
    const ids = [id, ...this.locator.neighbours(id)];
    let changed: GridStatus[] = [];
    const delta = await this.store.updateMany(
      ids.map((gridId) => ({ collection: 'gridStatus' as const, id: gridId })),
      (current) => {
        const byId = new Map(ids.map((gridId, i) => [gridId, current[i] as GridStatus | undefined]));
        changed = riskChanges(id, risk, ids.slice(1), (gridId) => byId.get(gridId), cascade).map((c) => ({ id: c.id, risk: c.risk, updatedAt: now }));
        return changed.length ? changed.map((entity): Change => ({ op: 'upsert', collection: 'gridStatus', entity })) : null;
      },
      now,
    );
    return { ok: true, value: delta ? changed : [], seq: delta?.seq ?? (await this.store.seq()) };
  }

  /**
   * A status change of an ambulance outside any transfer task (the simulator's duty
   * cycle, a unit going offline). A unit on a task is the task's: refused.
   */
  setAmbulanceStatus(id: string, status: Ambulance['status']): Promise<ChangeOutcome<Ambulance>> {
    return this.patch('ambulances', id, Ambulance, (cur, now) =>
      cur.taskId !== null ? { refused: 'conflict', message: `${id} is on transfer task ${cur.taskId}: its status follows the task` } : { ...cur, status, updatedAt: now },
    );
  }

  private patch<C extends CollectionName>(collection: C, id: string, schema: z.ZodType<EntityOf<C>>, change: Patch<C>): Promise<ChangeOutcome<EntityOf<C>>> {
    return patchEntity(this.store, this.clock(), collection, id, schema, change);
  }
}

/**
 * Reads an entity, applies `change` (which may refuse), validates the result and writes
 * it if nothing changed meanwhile: the one read-modify-write of a live entity.
 */
export async function patchEntity<C extends CollectionName>(
  store: LiveStore,
  now: number,
  collection: C,
  id: string,
  schema: z.ZodType<EntityOf<C>>,
  change: Patch<C>,
): Promise<ChangeOutcome<EntityOf<C>>> {
  let failure: ChangeOutcome<EntityOf<C>> | null = null;
  let written: EntityOf<C> | null = null;
  const delta = await store.update(
    collection,
    id,
    (current) => {
      failure = null;
      if (!current) {
        failure = { ok: false, error: 'not-found', message: `${collection}/${id} does not exist` };
        return null;
      }
      const next = change(current, now);
      if ('refused' in next) {
        failure = { ok: false, error: next.refused, message: next.message };
        return null;
      }
      const checked = schema.safeParse(next);
      if (!checked.success) {
        failure = { ok: false, error: 'invalid', message: checked.error.issues.map((i) => i.message).join('; ') };
        return null;
      }
      written = checked.data;
      return [{ op: 'upsert', collection, entity: checked.data } as never];
    },
    now,
  );
  if (failure) return failure;
  if (!delta || !written) return { ok: false, error: 'not-found', message: `${collection}/${id} does not exist` };
  return { ok: true, value: written, seq: delta.seq };
}
