// Drives the sample county: ambulances along the roads through their duty
// cycle, queues with opening hours, hotels and hospitals admitting and
// discharging. Every change goes through LiveUpdates, the path real updates use.
import type { FeatureCollection, LineString } from 'geojson';
import type { Ambulance, SampleBatch } from '../schema/index.ts';
import type { LiveUpdates } from '../services/live-updates.ts';
import type { SampleBatches } from '../services/sample-batches.ts';
import type { TestingRounds } from '../services/testing-rounds.ts';
import { RoundDriver } from './round-driver.ts';
import { batchCategory, batchSize, labDelayMs } from './lab.ts';
import type { LiveStore } from '../store/store.ts';
import { isDriving, nextStatus, phaseSeconds } from './ambulance-duty.ts';
import { mulberry32 } from './random.ts';
import { buildRoadGraph, nearestVertex, type RoadGraph } from './road-graph.ts';
import { advance, positionOf, startWalker, type Walker } from './road-walker.ts';
import { chinaMinuteOfDay, stepHospital, stepHotel, stepSamplingPoint } from './site-dynamics.ts';
import { onDay } from '../domain/day-counters.ts';

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
}

/** Minutes of queue dynamics simulated each time a sampling point is stepped. */
const SITE_STEP_MINUTES = 5;

export class Simulator {
  private readonly random: () => number;
  private readonly graph: RoadGraph;
  private units: Unit[] = [];
  private pointIds: string[] = [];
  private hotelIds: string[] = [];
  private hospitalIds: string[] = [];
  /** Batches waiting for the lab, and when the lab will report each. */
  private readonly labDue = new Map<string, number>();
  private readonly roundDriver: RoundDriver | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: SimulatorOptions) {
    this.random = mulberry32(options.seed ?? 20221123);
    this.graph = buildRoadGraph(options.roads);
    this.roundDriver = options.rounds
      ? new RoundDriver(options.store, options.rounds, { speed: options.speed, seed: options.seed ?? 20221123, demo: options.demoRound ?? false, random: this.random })
      : null;
  }

  async start(): Promise<void> {
    const snap = await this.options.store.snapshot();
    const now = this.options.clock();
    this.pointIds = Object.keys(snap.collections.samplingPoints).sort();
    this.hotelIds = Object.keys(snap.collections.hotels).sort();
    this.hospitalIds = Object.keys(snap.collections.hospitals).sort();
    this.units = Object.values(snap.collections.ambulances)
      .sort((a, b) => a.id.localeCompare(b.id))
      .filter((a) => a.fix && this.graph.vertices.length > 0)
      .map((a, i) => {
        // Half the fleet starts out on a job so the map moves from the first second.
        const status: Ambulance['status'] = i % 2 === 0 ? 'dispatched' : 'available';
        return {
          id: a.id,
          kind: a.kind,
          status,
          phaseEndsAt: now + (phaseSeconds(status, this.random) * 1000) / this.options.speed,
          walker: startWalker(this.graph, nearestVertex(this.graph, a.fix!.lng, a.fix!.lat), this.random),
          kmh: 45 + 25 * this.random(),
          tasked: a.taskId !== null,
        };
      });
    for (const unit of this.units) if (!unit.tasked) await this.options.updates.setAmbulanceStatus(unit.id, unit.status);
    await this.startLab(snap.collections.sampleBatches, now);
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

  /**
   * Batches already waiting get a report time; an empty county gets the last ten hours'
   * batches, so the board shows turnaround from the start (a couple of them overdue).
   */
  private async startLab(existing: Record<string, { id: string; category: SampleBatch['category']; collectedAt: number; resultedAt: number | null }>, now: number): Promise<void> {
    const batches = this.options.batches;
    if (!batches) return;
    const waiting = Object.values(existing).filter((b) => b.resultedAt === null);
    for (const b of waiting) this.labDue.set(b.id, b.collectedAt + labDelayMs(b.category, this.random, 1));
    if (Object.keys(existing).length > 0) return;
    for (let i = 0; i < 16; i++) {
      const category = i < 2 ? 'fever-emergency' : batchCategory(this.random);
      // The first two: fever-clinic batches collected 7 h ago and still waiting (overdue).
      const collectedAt = i < 2 ? now - 7 * 3_600_000 - i * 600_000 : now - Math.floor(this.random() * 10 * 3_600_000);
      const made = await batches.create({ samplingPointId: this.pick(this.pointIds)!, category, samples: batchSize(this.random), collectedAt });
      if (!made.ok) continue;
      const due = i < 2 ? now + 3_600_000 / this.options.speed : collectedAt + labDelayMs(category, this.random, 1);
      if (due <= now) await batches.result(made.value.id, due);
      else this.labDue.set(made.value.id, due);
    }
  }

  /** About one batch every five simulated minutes; the lab reports those that are due. */
  private async stepLab(now: number, seconds: number): Promise<void> {
    const batches = this.options.batches;
    if (!batches) return;
    if (this.random() < seconds / 300 && this.pointIds.length > 0) {
      const category = batchCategory(this.random);
      const made = await batches.create({ samplingPointId: this.pick(this.pointIds)!, category, samples: batchSize(this.random) });
      if (made.ok) this.labDue.set(made.value.id, now + labDelayMs(category, this.random, this.options.speed));
    }
    for (const [id, due] of this.labDue) {
      if (due > now) continue;
      this.labDue.delete(id);
      await batches.result(id, now);
    }
  }

  private pick(ids: string[]): string | undefined {
    return ids[Math.floor(this.random() * ids.length)];
  }

  async tick(): Promise<void> {
    const now = this.options.clock();
    const seconds = (this.options.tickMs / 1000) * this.options.speed;
    for (const unit of this.units) {
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
    // About one sampling point in twenty changes each tick, as field updates would.
    const minute = chinaMinuteOfDay(now);
    const pointsThisTick = Math.max(1, Math.round(this.pointIds.length / 20));
    for (let i = 0; i < pointsThisTick; i++) {
      const id = this.pick(this.pointIds);
      const point = id && (await this.options.store.get('samplingPoints', id));
      // Stepped from the county's day as it is now: after midnight, yesterday's samples are not today's.
      const update = point && stepSamplingPoint(onDay(point, this.options.updates.dayOf(now)), minute, SITE_STEP_MINUTES, this.random);
      if (id && update) await this.options.updates.updateSamplingPoint(id, update);
    }
    if (this.random() < 0.3) {
      const id = this.pick(this.hotelIds);
      const hotel = id && (await this.options.store.get('hotels', id));
      const update = hotel && stepHotel(onDay(hotel, this.options.updates.dayOf(now)), this.random);
      if (id && update) await this.options.updates.updateHotel(id, update);
    }
    await this.stepLab(now, seconds);
    await this.roundDriver?.step(now);
    if (this.random() < 0.2) {
      const id = this.pick(this.hospitalIds);
      const hospital = id && (await this.options.store.get('hospitals', id));
      const update = hospital && stepHospital(hospital, this.random);
      if (id && update) await this.options.updates.updateHospital(id, update);
    }
  }
}
