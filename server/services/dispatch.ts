// Dispatch: the recommendation for a call (the 120 center's rule, eligible units
// ranked by road ETA, the destination by the hospitals' tiers) and the transfer
// task's life, each step written together with its unit in one atomic store update
// (transfer-write.ts).
import { randomBytes } from 'node:crypto';
import { decideDispatch } from '../domain/dispatch-rules.ts';
import { eligibility, kindFor, type Eligibility } from '../domain/eligibility.ts';
import { chooseTier, occupancy } from '../domain/hospital-tiers.ts';
import { zonedIso } from '../domain/daily-report.ts';
import type { Locator } from '../geo/locator.ts';
import type { RouteProvider } from '../routing/router.ts';
import { TransferTask, type Ambulance, type GridProps, type Hospital, type LngLat, type Recommendation, type UnitOption } from '../schema/index.ts';
import type { z } from 'zod';
import type { CreateTransferRequest, PickupPlace, RecommendRequest, TransitionRequest } from '../schema/dispatch.ts';
import type { LiveStore } from '../store/store.ts';
import { writeTransfer, type DispatchOutcome } from './transfer-write.ts';

type Recommend = z.output<typeof RecommendRequest>;
type CreateTransfer = z.output<typeof CreateTransferRequest>;
type Transition = z.output<typeof TransitionRequest>;

export type { DispatchOutcome } from './transfer-write.ts';

export interface DispatchOptions {
  /** A fix older than this is an unknown position. */
  fixStaleMs: number;
  /** Shortest terminal disinfection. */
  minDisinfectionMs: number;
  /** Share of maximum capacity at which a hospital tier passes patients on. */
  escalationThreshold: number;
  /** The county's zone: a task's id carries its local date and time (default China's). */
  timeZone?: string;
}

/** Routes are drawn for this many options. */
const ROUTED_OPTIONS = 3;

export class Dispatch {
  constructor(
    private readonly store: LiveStore,
    private readonly locator: Locator<GridProps>,
    private readonly router: RouteProvider,
    private readonly decontaminationPointIds: ReadonlySet<string>,
    /** A point inside each grid, for a pickup picked as a grid from the gazetteer. */
    private readonly gridPoint: (gridId: string) => LngLat | undefined,
    private readonly clock: () => number,
    private readonly options: DispatchOptions,
  ) {}

  /** Where the patient is, stamped with grid and town; null for an unknown grid. */
  resolvePickup(place: z.infer<typeof PickupPlace>): Recommendation['pickup'] | null {
    if ('gridId' in place) {
      const grid = this.locator.byId(place.gridId);
      const point = this.gridPoint(place.gridId);
      if (!grid || !point) return null;
      return { location: point, gridId: grid.id, gridName: grid.name, townName: grid.townName, inCounty: true };
    }
    const [lng, lat] = place.location;
    const grid = this.locator.locate(lng, lat);
    return { location: [lng, lat], gridId: grid?.id ?? null, gridName: grid?.name ?? null, townName: grid?.townName ?? null, inCounty: grid !== null };
  }

  async recommend(request: Recommend): Promise<DispatchOutcome<Recommendation>> {
    const pickup = this.resolvePickup(request.pickup);
    if (!pickup) return { ok: false, error: 'not-found', message: `grid ${'gridId' in request.pickup ? request.pickup.gridId : ''} does not exist` };
    const snapshot = await this.store.snapshot();
    const now = this.clock();
    const decision = decideDispatch(request.call);
    const units = Object.values(snapshot.collections.ambulances);
    const kind = kindFor(decision.crew);
    const excluded = { busy: 0, disinfecting: 0, offline: 0, staleFix: 0 };
    const count: Record<Exclude<Eligibility, 'eligible'>, keyof typeof excluded> = {
      busy: 'busy',
      disinfecting: 'disinfecting',
      offline: 'offline',
      'stale-fix': 'staleFix',
    };
    const eligibleOf = (k: Ambulance['kind'], tally: boolean) =>
      units.filter((a) => {
        if (a.kind !== k) return false;
        const e = eligibility(a, now, this.options.fixStaleMs);
        if (e !== 'eligible' && tally) excluded[count[e]]++;
        return e === 'eligible';
      });

    const options = await this.rank(eligibleOf(kind, true), pickup.location, request.limit, now);
    let fallback: Recommendation['fallback'] = null;
    if (options.length === 0) {
      const otherKind = kind === 'negative-pressure' ? 'ordinary' : 'negative-pressure';
      const other = await this.rank(eligibleOf(otherKind, false), pickup.location, request.limit, now);
      fallback = {
        options: other,
        reason:
          kind === 'negative-pressure'
            ? {
                zh: `无可派的负压救护车（${describeExcluded(excluded)}）。备选：最近的普通救护车，车组加强防护，转运后终末消毒。`,
                en: `No negative-pressure ambulance can go (${describeExcludedEn(excluded)}). Fallback: the nearest ordinary ambulance, crew in enhanced protection, terminal disinfection after.`,
              }
            : {
                zh: `无可派的普通救护车（${describeExcluded(excluded)}）。备选：负压救护车，转运后终末消毒。`,
                en: `No ordinary ambulance can go (${describeExcludedEn(excluded)}). Fallback: a negative-pressure ambulance, terminal disinfection after.`,
              },
      };
    }
    const destination = await this.destination(decision.destination, Object.values(snapshot.collections.hospitals), pickup.location);
    return {
      ok: true,
      seq: snapshot.seq,
      value: { decision, pickup, options, fallback, excluded, destination, router: this.router.name },
    };
  }

  private async rank(units: Ambulance[], target: LngLat, limit: number, now: number): Promise<UnitOption[]> {
    const etas = await this.router.etas(
      target,
      units.map((a) => ({ id: a.id, at: [a.fix!.lng, a.fix!.lat] as LngLat })),
    );
    const ranked = units
      .map((a) => ({ a, eta: etas.get(a.id) ?? null }))
      .filter((x): x is { a: Ambulance; eta: NonNullable<typeof x.eta> } => x.eta !== null)
      .sort((x, y) => x.eta.etaSeconds - y.eta.etaSeconds || x.a.id.localeCompare(y.a.id))
      .slice(0, limit);
    return Promise.all(
      ranked.map(async ({ a, eta }, i): Promise<UnitOption> => {
        const route = i < ROUTED_OPTIONS ? await this.router.route([a.fix!.lng, a.fix!.lat], target) : null;
        return {
          ambulanceId: a.id,
          callSign: a.callSign,
          kind: a.kind,
          station: a.station,
          crew: a.crew,
          etaSeconds: Math.round(eta.etaSeconds),
          distanceMeters: Math.round(eta.distanceMeters),
          fixAgeSeconds: Math.max(0, Math.round((now - a.fix!.at) / 1000)),
          route: route?.geometry ?? null,
        };
      }),
    );
  }

  private async destination(wanted: Recommendation['decision']['destination'], hospitals: Hospital[], from: LngLat): Promise<Recommendation['destination']> {
    let hospital: Hospital | null;
    let reason = { zh: '', en: '' };
    if (wanted === 'designated') {
      const choice = chooseTier(hospitals, this.options.escalationThreshold);
      hospital = choice.hospital;
      reason = choice.reason;
    } else {
      // The nearest by road of the open fever clinics (or hospitals) that still have room.
      const candidates = hospitals.filter((h) => h.open && occupancy(h) < 1 && (wanted === 'fever-clinic' ? h.role === 'fever-clinic' : h.role !== 'makeshift'));
      const etas = await this.router.etas(
        from,
        candidates.map((h) => ({ id: h.id, at: h.location })),
      );
      hospital = candidates.filter((h) => etas.get(h.id)).sort((a, b) => etas.get(a.id)!.etaSeconds - etas.get(b.id)!.etaSeconds)[0] ?? null;
      if (hospital) {
        reason =
          wanted === 'fever-clinic'
            ? { zh: `最近的发热门诊：${hospital.name}。`, en: `The nearest fever clinic: ${hospital.name}.` }
            : { zh: `最近的医院：${hospital.name}。`, en: `The nearest hospital: ${hospital.name}.` };
      }
    }
    if (!hospital) return null;
    const route = await this.router.route(from, hospital.location);
    return { hospitalId: hospital.id, name: hospital.name, reason, etaSeconds: route ? Math.round(route.etaSeconds) : null, route: route?.geometry ?? null };
  }

  /** True when the way from the pickup to the hospital leaves the county. */
  private crossesDistrict(pickup: Recommendation['pickup'], route: LngLat[] | null): boolean {
    if (!pickup.inCounty) return true;
    return (route ?? []).some(([lng, lat]) => this.locator.locate(lng, lat) === null);
  }

  async createTransfer(request: CreateTransfer, by: string): Promise<DispatchOutcome<TransferTask>> {
    const recommendation = await this.recommend({ call: request.call, pickup: request.pickup, limit: 1 });
    if (!recommendation.ok) return recommendation;
    const rec = recommendation.value;
    const now = this.clock();
    let destinationId = rec.destination?.hospitalId ?? null;
    let route = rec.destination?.route ?? null;
    if (request.destinationId && request.destinationId !== destinationId) {
      const hospital = await this.store.get('hospitals', request.destinationId);
      if (!hospital) return { ok: false, error: 'not-found', message: `hospitals/${request.destinationId} does not exist` };
      destinationId = hospital.id;
      route = (await this.router.route(rec.pickup.location, hospital.location))?.geometry ?? null;
    }
    const task = TransferTask.parse({
      id: newTaskId(now, this.options.timeZone ?? 'Asia/Shanghai'),
      ambulanceId: null,
      status: 'created',
      call: request.call,
      rule: rec.decision.rule,
      crew: rec.decision.crew,
      highRisk: rec.decision.rule !== null,
      pickup: { location: rec.pickup.location, gridId: rec.pickup.gridId, townName: rec.pickup.townName, address: request.address },
      patient: request.patient,
      destinationId,
      crossDistrict: this.crossesDistrict(rec.pickup, route),
      handover: null,
      decontamination: null,
      steps: [{ from: null, to: 'created', at: now, by, fix: null }],
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    });
    if (!request.ambulanceId) {
      const delta = await this.store.apply([{ op: 'upsert', collection: 'transfers', entity: task }], now);
      return { ok: true, value: task, seq: delta.seq };
    }
    return writeTransfer(this.store, this.clock(), this.options.minDisinfectionMs, task, request.ambulanceId, { to: 'assigned', ambulanceId: request.ambulanceId }, by, true);
  }

  async transition(taskId: string, request: Transition, by: string): Promise<DispatchOutcome<TransferTask>> {
    const task = await this.store.get('transfers', taskId);
    if (!task) return { ok: false, error: 'not-found', message: `transfers/${taskId} does not exist` };
    if (request.decontaminationPointId && !this.decontaminationPointIds.has(request.decontaminationPointId)) {
      return { ok: false, error: 'invalid', message: `no decontamination point ${request.decontaminationPointId}` };
    }
    const unitId = request.to === 'assigned' ? (request.ambulanceId ?? null) : task.ambulanceId;
    return writeTransfer(this.store, this.clock(), this.options.minDisinfectionMs, task, unitId, request, by, false);
  }
}

function newTaskId(now: number, timeZone: string): string {
  const t = zonedIso(now, timeZone); // the county's local time in the id
  return `T${t.slice(2, 10).replaceAll('-', '')}-${t.slice(11, 19).replaceAll(':', '')}-${randomBytes(3).toString('hex')}`;
}

function describeExcluded(e: Recommendation['excluded']): string {
  const parts = [
    e.busy && `${e.busy}辆执行任务中`,
    e.disinfecting && `${e.disinfecting}辆洗消中`,
    e.offline && `${e.offline}辆离线`,
    e.staleFix && `${e.staleFix}辆定位过期`,
  ].filter(Boolean);
  return parts.length ? parts.join('，') : '本县无此类车辆';
}

function describeExcludedEn(e: Recommendation['excluded']): string {
  const parts = [
    e.busy && `${e.busy} on a job`,
    e.disinfecting && `${e.disinfecting} disinfecting`,
    e.offline && `${e.offline} offline`,
    e.staleFix && `${e.staleFix} with a stale fix`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none in the county';
}
