// Drives the sample county: ambulances on transfer tasks along the roads (with a
// dispatch service: calls taken, units rolling, arriving and disinfecting, see
// transfer-driver.ts; without one, a made-up duty cycle on a random walk), queues with
// opening hours, hotels and hospitals admitting and discharging, the lab (lab-driver.ts)
// and testing rounds (round-driver.ts). Every change goes
// through LiveUpdates or Dispatch, the paths real updates use.
import type { FeatureCollection, LineString } from 'geojson';
import type { Ambulance, Hospital, LngLat, TransferTask } from '../schema/index.ts';
import type { Dispatch } from '../services/dispatch.ts';
import type { RouteProvider } from '../routing/router.ts';
import { GraphRouter } from '../routing/graph-router.ts';
import { distanceMeters } from '../geo/distance.ts';
import { TransferDriver } from './transfer-driver.ts';
import { advanceRoute, routeDone, routePosition, walkRoute, type RouteWalk } from './route-walker.ts';
import type { LiveUpdates } from '../services/live-updates.ts';
import type { SampleBatches } from '../services/sample-batches.ts';
import type { TestingRounds } from '../services/testing-rounds.ts';
import { RoundDriver } from './round-driver.ts';
import { LabDriver } from './lab-driver.ts';
import type { LiveStore } from '../store/store.ts';
import { isDriving, nextStatus, phaseSeconds } from './ambulance-duty.ts';
import { mulberry32 } from './random.ts';
import { buildRoadGraph, nearestVertex, type RoadGraph } from './road-graph.ts';
import { advance, positionOf, startWalker, type Walker } from './road-walker.ts';
import { catchments, stepHospital, stepHotel, stepSamplingPoint } from './site-dynamics.ts';
import { onDay } from '../domain/day-counters.ts';
import { moveTaskId } from '../services/coverage.ts';
import { MoveUpDriver, type MoveUps } from './move-up-driver.ts';

export interface SimulatorOptions {
  store: LiveStore;
  updates: LiveUpdates;
  /** Batches of samples to the lab and their results (absent: the simulator sends none). */
  batches?: SampleBatches;
  /** Mass-testing rounds in progress advance (absent: they do not). */
  rounds?: TestingRounds;
  /** An empty county gets a round for the whole county, two days under way (npm start). */
  demoRound?: boolean;
  roads: FeatureCollection<LineString>;
  clock: () => number;
  tickMs: number;
  /** Time multiplier for vehicles and duty phases. */
  speed: number;
  seed?: number;
  onError?: (message: string, err: unknown) => void;
  /** Calls dispatched by the rules and driven through their steps (absent: the made-up duty cycle). */
  dispatch?: Dispatch;
  /** Where calls come from, by population (with dispatch), and whom each sampling point serves (its town's people, by desks). */
  grids?: readonly { id: string; population: number; townName?: string }[];
  decontaminationPoints?: readonly { id: string; location: LngLat }[];
  minDisinfectionMs?: number;
  /** Routes for units on tasks (default: the graph over `roads`). */
  router?: RouteProvider;
  /** Mean simulated seconds between calls (with dispatch; default 600, Infinity: none, and none at start). */
  callEverySeconds?: number;
  /** The board's move-up suggestions, accepted by the simulated dispatcher (with dispatch; absent: no moves). */
  moveUps?: MoveUps;
}

interface Unit {
  id: string;
  kind: Ambulance['kind'];
  status: Ambulance['status'];
  phaseEndsAt: number;
  walker: Walker;
  kmh: number;
  /** On a dispatcher's transfer task: its status follows the task, not the duty cycle. */
  tasked: boolean;
  taskId: string | null;
  /** Its base (its position when the simulator started). */
  station: LngLat;
  /** Where it waits between tasks: its base, or the standby point it was last moved up to. */
  standby: LngLat;
  /** The route it drives (or drove: it stays at its end), and to where. */
  route: RouteWalk | null;
  routeTo: LngLat | null;
}

/** Minutes of queue dynamics simulated each time a sampling point is stepped. */
const SITE_STEP_MINUTES = 5;

export class Simulator {
  private readonly random: () => number;
  private readonly graph: RoadGraph;
  private units: Unit[] = [];
  private pointIds: string[] = [];
  /** The people each sampling point serves (with grids). */
  private catchment = new Map<string, number>();
  private hotelIds: string[] = [];
  private hospitalIds: string[] = [];
  private readonly lab: LabDriver | null;
  private readonly roundDriver: RoundDriver | null;
  private timer: NodeJS.Timeout | null = null;
  private readonly transfers: TransferDriver | null;
  private readonly moveUps: MoveUpDriver | null;
  private readonly router: RouteProvider | null;
  private hospitals: Record<string, Hospital> = {};
  private running: Promise<void> | null = null;

  constructor(private readonly options: SimulatorOptions) {
    this.random = mulberry32(options.seed ?? 20221123);
    this.graph = buildRoadGraph(options.roads);
    this.roundDriver = options.rounds
      ? new RoundDriver(options.store, options.rounds, { speed: options.speed, seed: options.seed ?? 20221123, demo: options.demoRound ?? false, random: this.random })
      : null;
    this.lab = options.batches ? new LabDriver(options.batches, { random: this.random, speed: options.speed, pickPoint: () => this.pick(this.pointIds) }) : null;
    const { dispatch } = options;
    this.transfers = dispatch
      ? new TransferDriver({
          dispatch,
          grids: options.grids ?? [],
          decontaminationPoints: options.decontaminationPoints ?? [],
          random: this.random,
          speed: options.speed,
          minDisinfectionMs: options.minDisinfectionMs ?? 30 * 60_000,
          ...(options.callEverySeconds !== undefined ? { callEverySeconds: options.callEverySeconds } : {}),
        })
      : null;
    this.router = dispatch ? (options.router ?? new GraphRouter(options.roads)) : null;
    this.moveUps = dispatch && options.moveUps ? new MoveUpDriver({ coverage: options.moveUps, random: this.random }) : null;
  }

  async start(): Promise<void> {
    const snap = await this.options.store.snapshot();
    const now = this.options.clock();
    this.pointIds = Object.keys(snap.collections.samplingPoints).sort();
    if (this.options.grids?.length) this.catchment = catchments(Object.values(snap.collections.samplingPoints), this.options.grids);
    this.hotelIds = Object.keys(snap.collections.hotels).sort();
    this.hospitalIds = Object.keys(snap.collections.hospitals).sort();
    this.units = Object.values(snap.collections.ambulances)
      .sort((a, b) => a.id.localeCompare(b.id))
      .filter((a) => a.fix && this.graph.vertices.length > 0)
      .map((a, i) => {
        // Half the fleet starts out on a job so the map moves from the first second (with
        // dispatch: a few real calls do that, the rest wait at their stations).
        const status: Ambulance['status'] = this.transfers || i % 2 !== 0 ? 'available' : 'dispatched';
        return {
          id: a.id,
          kind: a.kind,
          status,
          phaseEndsAt: now + (phaseSeconds(status, this.random) * 1000) / this.options.speed,
          walker: startWalker(this.graph, nearestVertex(this.graph, a.fix!.lng, a.fix!.lat), this.random),
          kmh: 45 + 25 * this.random(),
          tasked: a.taskId !== null,
          taskId: a.taskId,
          station: [a.fix!.lng, a.fix!.lat] as LngLat,
          standby: [a.fix!.lng, a.fix!.lat] as LngLat,
          route: null,
          routeTo: null,
        };
      });
    this.hospitals = snap.collections.hospitals;
    for (const unit of this.units) if (!unit.tasked) await this.options.updates.setAmbulanceStatus(unit.id, unit.status);
    const calling = (this.options.callEverySeconds ?? 600) < Number.POSITIVE_INFINITY;
    if (this.transfers && calling && Object.keys(snap.collections.transfers).length === 0) await this.transfers.startCalls(3, now);
    await this.lab?.start(snap.collections.sampleBatches, now);
    await this.roundDriver?.start(snap.collections, now);
    this.timer = setInterval(() => {
      // Ticks never overlap: a slow store makes the simulator slower, not a pile-up.
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => this.options.onError?.('simulator tick failed', err))
        .finally(() => (this.running = null));
    }, this.options.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private pick(ids: string[]): string | undefined {
    return ids[Math.floor(this.random() * ids.length)];
  }

  async tick(): Promise<void> {
    const now = this.options.clock();
    const seconds = (this.options.tickMs / 1000) * this.options.speed;
    if (this.transfers) {
      const tasks: TransferTask[] = [];
      for (const unit of this.units) {
        const task = await this.driveOnTask(unit, now, seconds);
        if (task) tasks.push(task);
      }
      await this.transfers.step(now, seconds, tasks);
      await this.moveUps?.step(now);
    }
    for (const unit of this.transfers ? [] : this.units) {
      if (!unit.tasked && now >= unit.phaseEndsAt) {
        unit.status = nextStatus(unit.status, unit.kind);
        unit.phaseEndsAt = now + (phaseSeconds(unit.status, this.random) * 1000) / this.options.speed;
        await this.options.updates.setAmbulanceStatus(unit.id, unit.status);
      }
      const driving = isDriving(unit.status);
      if (driving) advance(this.graph, unit.walker, (unit.kmh / 3.6) * seconds, this.random);
      const pos = positionOf(this.graph, unit.walker);
      const reported = await this.options.updates.reportPosition(unit.id, {
        lng: pos.lng,
        lat: pos.lat,
        at: now,
        speed: driving ? Math.round(unit.kmh) : 0,
        heading: pos.heading,
      });
      if (reported.ok) {
        // A dispatcher took the unit, or its task released it: follow what the store says.
        const tasked = reported.value.taskId !== null;
        if (tasked || unit.tasked) unit.status = reported.value.status;
        if (unit.tasked && !tasked) unit.phaseEndsAt = now + (phaseSeconds(unit.status, this.random) * 1000) / this.options.speed;
        unit.tasked = tasked;
      }
    }
    await this.stepSites(now, seconds);
  }

  /**
   * A unit with dispatch: on a task it drives where the task sends it and stays there; on a
   * move task to its standby point; between tasks back to where it stands by (its base, or
   * the point it was last moved up to: a task sends it home afterwards). Returns its task as
   * the store has it.
   */
  private async driveOnTask(unit: Unit, now: number, seconds: number): Promise<TransferTask | null> {
    const task = unit.taskId ? ((await this.options.store.get('transfers', unit.taskId)) ?? null) : null;
    const here = unit.route ? routePosition(unit.route) : positionOf(this.graph, unit.walker);
    const at: LngLat = [here.lng, here.lat];
    let target: LngLat | null = null;
    if (task && task.ambulanceId === unit.id) {
      unit.standby = unit.station;
      target = this.transfers!.targetOf(task, at, this.hospitals, now);
    } else if (!task) {
      if (this.moveUps) {
        const move = await this.options.store.get('moveTasks', moveTaskId(unit.id));
        if (move?.status === 'en-route') unit.standby = move.location;
        else if (move?.status === 'cancelled' && move.location[0] === unit.standby[0] && move.location[1] === unit.standby[1]) unit.standby = unit.station;
      }
      if (distanceMeters(at[0], at[1], unit.standby[0], unit.standby[1]) > 30) target = unit.standby;
    }
    if (target && (unit.routeTo?.[0] !== target[0] || unit.routeTo[1] !== target[1])) {
      const route = await this.router!.route(at, target);
      unit.route = walkRoute(route?.geometry ?? [at, target]);
      unit.routeTo = target;
    }
    const moving = target !== null && unit.route !== null && !routeDone(unit.route);
    if (moving) advanceRoute(unit.route!, (unit.kmh / 3.6) * seconds);
    const pos = unit.route ? routePosition(unit.route) : here;
    const reported = await this.options.updates.reportPosition(unit.id, { lng: pos.lng, lat: pos.lat, at: now, speed: moving ? Math.round(unit.kmh) : 0, heading: pos.heading });
    if (reported.ok) {
      unit.taskId = reported.value.taskId;
      unit.status = reported.value.status;
      unit.tasked = unit.taskId !== null;
    }
    return task;
  }

  private async stepSites(now: number, seconds: number): Promise<void> {
    // About one sampling point in twenty changes each tick, as field updates would.
    const minute = this.options.updates.minuteOfDay(now);
    const pointsThisTick = Math.max(1, Math.round(this.pointIds.length / 20));
    for (let i = 0; i < pointsThisTick; i++) {
      const id = this.pick(this.pointIds);
      const point = id && (await this.options.store.get('samplingPoints', id));
      // Stepped from the county's day as it is now: after midnight, yesterday's samples are not today's.
      const update = point && stepSamplingPoint(onDay(point, this.options.updates.dayOf(now)), minute, SITE_STEP_MINUTES, this.random, this.catchment.get(id));
      if (id && update) await this.options.updates.updateSamplingPoint(id, update);
    }
    if (this.random() < 0.3) {
      const id = this.pick(this.hotelIds);
      const hotel = id && (await this.options.store.get('hotels', id));
      const update = hotel && stepHotel(onDay(hotel, this.options.updates.dayOf(now)), this.random);
      if (id && update) await this.options.updates.updateHotel(id, update);
    }
    await this.lab?.step(now, seconds, this.pointIds.length > 0);
    await this.roundDriver?.step(now);
    if (this.random() < 0.2) {
      const id = this.pick(this.hospitalIds);
      const hospital = id && (await this.options.store.get('hospitals', id));
      const update = hospital && stepHospital(hospital, this.random);
      if (id && update) await this.options.updates.updateHospital(id, update);
    }
  }
}
