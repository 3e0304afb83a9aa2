// The board's entities. This module is the single source of truth: the server
// validates with it and the client imports the inferred types. No Node imports.
import { z } from 'zod';

/** Stable, URL-safe ids: letters, digits, and . _ : - */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'id: letters, digits and . _ : - only');
export const Lng = z.number().min(-180).max(180);
export const Lat = z.number().min(-90).max(90);
/** WGS-84 [longitude, latitude] in degrees. */
export const LngLat = z.tuple([Lng, Lat]);
/** Milliseconds since the Unix epoch. */
/**
 * Text a person must give (a reason, a source, a name): trimmed, at most `max` long, and
 * with at least one visible character, not only spaces or invisible marks (U+200B …).
 */
export const VisibleText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => /[^\s\p{Cf}]/u.test(s), '须包含可见文字');

/** (At most 8.64e15, the last moment a JavaScript date can hold.) */
export const Millis = z.number().int().nonnegative().max(8.64e15);
const Count = z.number().int().nonnegative();

/** Risk levels: the 2020–21 low/medium/high scheme and the 2022 sealed/controlled/precaution scheme. */
export const RiskLevel = z.enum(['low', 'medium', 'high', 'precaution', 'controlled', 'sealed']);

/** The static description of a grid (its geometry travels as GeoJSON over HTTP). */
export const GridProps = z.object({
  id: Id,
  name: z.string().min(1),
  villageCode: z.string(),
  villageName: z.string(),
  townCode: z.string(),
  townName: z.string(),
  population: Count,
  lead: z.string(),
});

/** The live part of a grid: its risk level, set by the command center. */
export const GridStatus = z.object({
  id: Id,
  risk: RiskLevel,
  updatedAt: Millis,
});

/** What every site on the map shares; `gridId` is stamped by containment, null outside the county. */
const SiteBase = z.object({
  id: Id,
  name: z.string().min(1),
  location: LngLat,
  gridId: Id.nullable(),
  updatedAt: Millis,
});

/** A day in the county's time zone, YYYY-MM-DD. */
export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Opening hours as local "HH:MM" times; `null` means open 24 h. */
export const OpeningHours = z.object({ open: z.string().regex(/^\d\d:\d\d$/), close: z.string().regex(/^\d\d:\d\d$/) }).nullable();

export const SamplingPointStatus = z.enum(['open', 'paused', 'closed']);
export const SamplingPoint = SiteBase.extend({
  kind: z.enum(['fixed', 'convenience', 'mobile']),
  serves: z.enum(['all', 'key-groups']),
  hours: OpeningHours,
  status: SamplingPointStatus,
  queue: Count,
  desks: Count,
  /** Samples per hour per staffed desk. */
  deskThroughput: z.number().positive(),
  samplesToday: Count,
  /** The county's day (YYYY-MM-DD) samplesToday counts (server/domain/day-counters.ts). */
  countsDay: LocalDate.optional(),
  stock: z.object({ swabs: Count, tubes: Count }),
  /** The point's lead reports swabs or tubes running low (needs resupply). */
  stockLow: z.boolean().optional(),
});

export const IsolationHotel = SiteBase.extend({
  rooms: z.object({ total: Count, occupied: Count, cleaning: Count }),
  people: Count,
  checkInsToday: Count,
  checkOutsToday: Count,
  /** The county's day (YYYY-MM-DD) the check-ins and check-outs count. */
  countsDay: LocalDate.optional(),
  staff: z.object({ doctors: Count, nurses: Count }),
});

/** Designated → reserve → makeshift is the escalation chain; fever clinics are the sentinels. */
export const HospitalRole = z.enum(['designated', 'reserve', 'makeshift', 'fever-clinic']);
export const BedCount = z.object({ total: Count, occupied: Count });
export const Hospital = SiteBase.extend({
  role: HospitalRole,
  /** A makeshift hospital is built but closed until escalation opens it. */
  open: z.boolean(),
  beds: z.object({ treatment: BedCount, icu: BedCount, isolation: BedCount }),
  /** The most patients the hospital can take; escalation thresholds are shares of it. */
  maxCapacity: Count,
});

export const AmbulanceKind = z.enum(['negative-pressure', 'ordinary']);
export const AmbulanceStatus = z.enum(['available', 'dispatched', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'offline']);
/** A GPS fix: where, when, how fast (km/h) and which way (degrees from north). */
export const PositionFix = z.object({
  lng: Lng,
  lat: Lat,
  at: Millis,
  speed: z.number().min(0).max(400),
  heading: z.number().min(0).lt(360),
});
export const Ambulance = z.object({
  id: Id,
  callSign: z.string().min(1),
  kind: AmbulanceKind,
  status: AmbulanceStatus,
  station: z.string(),
  crew: z.array(z.string()),
  fix: PositionFix.nullable(),
  gridId: Id.nullable(),
  taskId: Id.nullable(),
  updatedAt: Millis,
});

/**
 * What a batch of samples is, for its reporting limit (DOMAIN.md, test turnaround):
 * fever clinics and emergencies 4–6 h; outpatients, inpatients and escorts 12 h;
 * voluntary testing 24 h.
 */
export const SampleCategory = z.enum(['fever-emergency', 'clinical', 'voluntary']);
/** A batch of samples sent to the lab: when it was collected, and when the lab reported. */
export const SampleBatch = z.object({
  id: Id,
  /** The sampling point that sent it, when it came from one. */
  samplingPointId: Id.nullable(),
  /** Where it came from, in words (the point's or the clinic's name). */
  source: z.string().min(1).max(100),
  /** The sender's grid (for area subscriptions), stamped by containment. */
  gridId: Id.nullable(),
  category: SampleCategory,
  samples: z.number().int().min(1).max(100_000),
  collectedAt: Millis,
  /** When the lab reported its results; null while waiting. */
  resultedAt: Millis.nullable(),
  updatedAt: Millis,
});

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export const Alert = z.object({
  id: Id,
  kind: z.enum([
    'hospital-escalation',
    'staffing-shortfall',
    'queue-crowded',
    'fix-stale',
    'turnaround-overdue',
    'np-ambulance-shortage',
    'round-behind',
    'round-overdue',
    'coverage-gap',
  ]),
  severity: AlertSeverity,
  /** Chinese text for the ticker. */
  message: z.string(),
  subject: z.object({ collection: z.string(), id: Id }).nullable(),
  /** Where it is, when it is somewhere: its subject's grid, or the town it concerns (field tablets get their town's). */
  gridId: Id.nullable().optional(),
  town: z.string().nullable().optional(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  raisedAt: Millis,
  updatedAt: Millis,
  /** The rule that raised it, in words, and the figures it saw. */
  rule: z.string().optional(),
  figures: z.record(z.string(), z.number()).optional(),
  /** The names it concerns (a hospital's, a unit's call sign, a town's), so every screen words it in its own language (alert-words.ts). */
  terms: z.record(z.string(), z.string().max(200)).optional(),
  acknowledged: z.object({ by: z.string(), at: Millis }).nullable().optional(),
  /** By hand (with a reason) or by the board when the condition cleared (by: 'auto'). */
  resolved: z.object({ by: z.string(), at: Millis, reason: z.string() }).nullable().optional(),
  /** Resolved by hand while the condition held: raised again only once it has cleared. */
  conditionCleared: z.boolean().optional(),
});

/** A place where vehicles get terminal disinfection (终末消毒) between high-risk transfers. */
export const DecontaminationPoint = z.object({ id: Id, name: z.string(), location: LngLat, gridId: Id.nullable() });

export type RiskLevel = z.infer<typeof RiskLevel>;
export type GridProps = z.infer<typeof GridProps>;
export type GridStatus = z.infer<typeof GridStatus>;
export type SamplingPoint = z.infer<typeof SamplingPoint>;
export type SamplingPointStatus = z.infer<typeof SamplingPointStatus>;
export type IsolationHotel = z.infer<typeof IsolationHotel>;
export type Hospital = z.infer<typeof Hospital>;
export type HospitalRole = z.infer<typeof HospitalRole>;
export type Ambulance = z.infer<typeof Ambulance>;
export type AmbulanceKind = z.infer<typeof AmbulanceKind>;
export type AmbulanceStatus = z.infer<typeof AmbulanceStatus>;
export type PositionFix = z.infer<typeof PositionFix>;
export type Alert = z.infer<typeof Alert>;
export type SampleCategory = z.infer<typeof SampleCategory>;
export type SampleBatch = z.infer<typeof SampleBatch>;
export type DecontaminationPoint = z.infer<typeof DecontaminationPoint>;
export type LngLat = z.infer<typeof LngLat>;
