// The command center's key figures, computed from the live state: what the wall's
// panels show and GET /api/indicators returns, so both always agree. Pure.
import type { Ambulance, AmbulanceStatus, GridProps, Hospital, HospitalRole, IsolationHotel, LiveCollections, SampleBatch, SamplingPoint } from '../schema/index.ts';
import { turnaroundState } from './turnaround.ts';
import { atThreshold, DEFAULT_ESCALATION_THRESHOLD, ESCALATION_CHAIN, occupancy, occupiedBeds } from './hospital-tiers.ts';
import { DEFAULT_QUEUE_THRESHOLDS, estimatedWaitMinutes, queueLevel, type QueueThresholds } from './queue-level.ts';
import { requiredStaff, staffingShortfall } from './staffing.ts';

export interface TownSampling {
  town: string;
  population: number;
  samplesToday: number;
  /** samplesToday ÷ population (can pass 1 when people from elsewhere are sampled here). */
  share: number;
}

export interface Indicators {
  sampling: {
    totalPoints: number;
    openPoints: number;
    queuing: number;
    /** Mean estimated wait of the open points with people queuing, minutes (0 when none). */
    averageWaitMinutes: number;
    crowdedPoints: number;
    samplesToday: number;
    byTown: TownSampling[];
  };
  isolation: {
    hotels: number;
    roomsTotal: number;
    roomsOccupied: number;
    roomsCleaning: number;
    roomsFree: number;
    people: number;
    doctors: number;
    nurses: number;
    requiredDoctors: number;
    requiredNurses: number;
    /** Hotels short of staff, with how many of each are missing. */
    shortHotels: { id: string; name: string; doctors: number; nurses: number }[];
  };
  hospitals: {
    tiers: { role: HospitalRole; id: string; name: string; open: boolean; occupied: number; maxCapacity: number; occupancy: number; atThreshold: boolean }[];
    /** Which step of the escalation plan is due: none, the reserve (designated at threshold), the makeshift (reserve at threshold too). */
    escalation: 'none' | 'reserve' | 'makeshift';
    threshold: number;
    feverClinics: { occupied: number; capacity: number };
  };
  /** Test turnaround: batches waiting for results, and how the last day's went. */
  turnaround: {
    waiting: number;
    dueSoon: number;
    overdue: number;
    /** Batches resulted in the last 24 h, and how many of them late. */
    resulted24h: number;
    late24h: number;
  };
  ambulances: {
    total: number;
    byStatus: Record<AmbulanceStatus, number>;
    negativePressureTotal: number;
    negativePressureAvailable: number;
  };
}

const STATUSES: AmbulanceStatus[] = ['available', 'dispatched', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'offline'];
const sum = <T>(items: T[], of: (t: T) => number) => items.reduce((n, t) => n + of(t), 0);

export function samplingIndicators(
  points: SamplingPoint[],
  grids: Map<string, GridProps>,
  townPopulation: Map<string, number>,
  queue: QueueThresholds = DEFAULT_QUEUE_THRESHOLDS,
): Indicators['sampling'] {
  const open = points.filter((p) => p.status === 'open');
  const waiting = open.filter((p) => p.queue > 0);
  const waits = waiting.map((p) => estimatedWaitMinutes(p)).filter(Number.isFinite);
  const byTown = new Map<string, number>();
  for (const p of points) {
    const town = p.gridId ? grids.get(p.gridId)?.townName : undefined;
    if (town) byTown.set(town, (byTown.get(town) ?? 0) + p.samplesToday);
  }
  return {
    totalPoints: points.length,
    openPoints: open.length,
    queuing: sum(open, (p) => p.queue),
    averageWaitMinutes: waits.length ? sum(waits, (w) => w) / waits.length : 0,
    crowdedPoints: open.filter((p) => queueLevel(p, queue) === 'congested').length,
    samplesToday: sum(points, (p) => p.samplesToday),
    byTown: [...townPopulation]
      .map(([town, population]) => {
        const samplesToday = byTown.get(town) ?? 0;
        return { town, population, samplesToday, share: population > 0 ? samplesToday / population : 0 };
      })
      .sort((a, b) => b.population - a.population),
  };
}

export function isolationIndicators(hotels: IsolationHotel[]): Indicators['isolation'] {
  const roomsTotal = sum(hotels, (h) => h.rooms.total);
  const roomsOccupied = sum(hotels, (h) => h.rooms.occupied);
  const roomsCleaning = sum(hotels, (h) => h.rooms.cleaning);
  return {
    hotels: hotels.length,
    roomsTotal,
    roomsOccupied,
    roomsCleaning,
    roomsFree: roomsTotal - roomsOccupied - roomsCleaning,
    people: sum(hotels, (h) => h.people),
    doctors: sum(hotels, (h) => h.staff.doctors),
    nurses: sum(hotels, (h) => h.staff.nurses),
    requiredDoctors: sum(hotels, (h) => requiredStaff(h.people).doctors),
    requiredNurses: sum(hotels, (h) => requiredStaff(h.people).nurses),
    shortHotels: hotels
      .map((h) => ({ id: h.id, name: h.name, ...staffingShortfall(h) }))
      .filter((s) => s.doctors > 0 || s.nurses > 0)
      .sort((a, b) => b.doctors + b.nurses - (a.doctors + a.nurses) || a.id.localeCompare(b.id)),
  };
}

export function hospitalIndicators(hospitals: Hospital[], threshold = DEFAULT_ESCALATION_THRESHOLD): Indicators['hospitals'] {
  const tiers = ESCALATION_CHAIN.flatMap((role) => hospitals.filter((h) => h.role === role)).map((h) => ({
    role: h.role,
    id: h.id,
    name: h.name,
    open: h.open,
    occupied: occupiedBeds(h),
    maxCapacity: h.maxCapacity,
    occupancy: occupancy(h),
    atThreshold: atThreshold(h, threshold),
  }));
  const at = (role: HospitalRole) => tiers.some((t) => t.role === role && t.atThreshold);
  const clinics = hospitals.filter((h) => h.role === 'fever-clinic');
  return {
    tiers,
    escalation: at('designated') ? (at('reserve') ? 'makeshift' : 'reserve') : 'none',
    threshold,
    feverClinics: { occupied: sum(clinics, occupiedBeds), capacity: sum(clinics, (h) => h.maxCapacity) },
  };
}

export function ambulanceIndicators(units: Ambulance[]): Indicators['ambulances'] {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<AmbulanceStatus, number>;
  for (const a of units) byStatus[a.status]++;
  const np = units.filter((a) => a.kind === 'negative-pressure');
  return {
    total: units.length,
    byStatus,
    negativePressureTotal: np.length,
    negativePressureAvailable: np.filter((a) => a.status === 'available' && a.taskId === null).length,
  };
}

export interface CountyFacts {
  grids: Map<string, GridProps>;
  /** Population per town name. */
  townPopulation: Map<string, number>;
}

/** A town's own count of its people (a town record's 人口), null when it has none. */
export interface TownHeadcount {
  code: string;
  population?: number | null;
}

/**
 * Population by grid, and by town of the grids: a town's record's population where it has
 * one, else the sum of its grids' (the records count a town's people; the grids may miss some).
 */
export function countyFacts(grids: readonly GridProps[], towns: readonly TownHeadcount[] = []): CountyFacts {
  const recorded = new Map<string, number>();
  for (const t of towns) if (t.population !== null && t.population !== undefined) recorded.set(t.code, t.population);
  const townPopulation = new Map<string, number>();
  for (const g of grids) {
    const own = recorded.get(g.townCode);
    townPopulation.set(g.townName, own ?? (townPopulation.get(g.townName) ?? 0) + g.population);
  }
  return { grids: new Map(grids.map((g) => [g.id, g])), townPopulation };
}

export function turnaroundIndicators(batches: SampleBatch[], now: number): Indicators['turnaround'] {
  const out = { waiting: 0, dueSoon: 0, overdue: 0, resulted24h: 0, late24h: 0 };
  for (const b of batches) {
    const state = turnaroundState(b, now);
    if (state === 'waiting' || state === 'due-soon' || state === 'overdue') {
      out.waiting++;
      if (state === 'due-soon') out.dueSoon++;
      if (state === 'overdue') out.overdue++;
    } else if (b.resultedAt !== null && b.resultedAt > now - 86_400_000) {
      out.resulted24h++;
      if (state === 'late') out.late24h++;
    }
  }
  return out;
}

/** Every key figure, as of `now` (turnaround depends on the time). */
export function indicators(
  c: LiveCollections,
  facts: CountyFacts,
  now: number,
  escalationThreshold = DEFAULT_ESCALATION_THRESHOLD,
  queue: QueueThresholds = DEFAULT_QUEUE_THRESHOLDS,
): Indicators {
  return {
    sampling: samplingIndicators(Object.values(c.samplingPoints), facts.grids, facts.townPopulation, queue),
    isolation: isolationIndicators(Object.values(c.hotels)),
    hospitals: hospitalIndicators(Object.values(c.hospitals), escalationThreshold),
    turnaround: turnaroundIndicators(Object.values(c.sampleBatches), now),
    ambulances: ambulanceIndicators(Object.values(c.ambulances)),
  };
}
