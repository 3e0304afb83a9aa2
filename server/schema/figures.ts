// The figures the board computes from its live state, as the API answers them: the 120
// centre's KPIs (GET /api/kpis, server/domain/kpi-120.ts) and the wall's key figures
// (GET /api/indicators, server/domain/indicators.ts). No Node imports.
import { z } from 'zod';
import { AmbulanceStatus, HospitalRole, LocalDate, Millis } from './entities.ts';

const Count = z.number().int().nonnegative();
const Seq = z.number().int().nonnegative();
/** A share 0–1 (a tier's occupancy may pass 1), null when there is nothing to divide by. */
const Share = z.number().nullable();

/** How long something took: how many, their mean and 90th percentile in minutes (null when none). */
export const KpiDurations = z.object({ count: Count, meanMinutes: z.number().nullable(), p90Minutes: z.number().nullable() });

/** The 120 centre's figures over [from, to). */
export const Kpi120 = z.object({
  from: Millis,
  to: Millis,
  calls: Count,
  rolling: z.object({ assigned: Count, within3Min: Count, share: Share, target: z.number() }),
  response: KpiDurations.extend({ sameArea: KpiDurations, crossArea: KpiDurations, unknownArea: Count }),
  toHandover: KpiDurations,
  disinfection: KpiDurations,
  fleet: z.object({ total: Count, negativePressure: Count, share: Share, target: z.number() }),
});

/** GET /api/kpis: the county's day so far and its last 7 days. */
export const KpiAnswer = z
  .object({
    seq: Seq,
    at: Millis,
    date: LocalDate,
    timeZone: z.string(),
    data: z.object({ today: Kpi120, week: Kpi120 }),
  })
  .describe("The 120 centre's figures: the county's day so far and its last 7 days, with their targets");
export type KpiAnswer = z.infer<typeof KpiAnswer>;

/** The wall's key figures. */
export const Indicators = z.object({
  sampling: z.object({
    totalPoints: Count,
    openPoints: Count,
    queuing: Count,
    /** Mean estimated wait of the open points with people queuing, minutes (0 when none). */
    averageWaitMinutes: z.number(),
    crowdedPoints: Count,
    samplesToday: Count,
    byTown: z.array(z.object({ town: z.string(), population: Count, samplesToday: Count, share: z.number() })),
  }),
  isolation: z.object({
    hotels: Count,
    roomsTotal: Count,
    roomsOccupied: Count,
    roomsCleaning: Count,
    roomsFree: z.number().int(),
    people: Count,
    doctors: Count,
    nurses: Count,
    requiredDoctors: Count,
    requiredNurses: Count,
    shortHotels: z.array(z.object({ id: z.string(), name: z.string(), doctors: Count, nurses: Count })),
  }),
  hospitals: z.object({
    tiers: z.array(
      z.object({
        role: HospitalRole,
        id: z.string(),
        name: z.string(),
        open: z.boolean(),
        occupied: Count,
        maxCapacity: Count,
        occupancy: z.number(),
        atThreshold: z.boolean(),
      }),
    ),
    escalation: z.enum(['none', 'reserve', 'makeshift']),
    threshold: z.number(),
    feverClinics: z.object({ occupied: Count, capacity: Count }),
  }),
  turnaround: z.object({ waiting: Count, dueSoon: Count, overdue: Count, resulted24h: Count, late24h: Count }),
  ambulances: z.object({
    total: Count,
    byStatus: z.record(AmbulanceStatus, Count),
    negativePressureTotal: Count,
    negativePressureAvailable: Count,
  }),
});

/** GET /api/indicators: the key figures as of `at`, from the state at `seq`. */
export const IndicatorsAnswer = z.object({ seq: Seq, at: Millis, data: Indicators }).describe('The key figures the wall shows, as of `at`');

/** POST /api/ambulances/positions: how many fixes were taken, which were refused and why, and the seq written (null: none). */
export const PositionsAnswer = z
  .object({
    accepted: Count,
    refused: z.array(z.object({ index: Count, id: z.string(), reason: z.string() })),
    seq: Seq.nullable(),
  })
  .describe('How many fixes were taken, which were refused and why');
