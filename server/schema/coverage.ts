// Coverage and move-up requests (issue 18, parts 1 and 2). No Node imports.
import { z } from 'zod';
import { Id } from './entities.ts';

/** The dispatcher accepts a move-up suggestion: this unit to this standby point. */
export const AcceptMoveRequest = z.object({ ambulanceId: Id, pointId: Id }).strict();
/** A move task ends: the unit is at its point, or the move is called off. */
export const EndMoveRequest = z.object({ status: z.enum(['arrived', 'cancelled']) }).strict();
/** A standby point a unit may be moved to: a station, or one the commander configures (standby-points.json). */
export const StandbyPointSchema = z.object({ id: Id, name: z.string().min(1).max(100), location: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]) });

export type AcceptMoveRequest = z.infer<typeof AcceptMoveRequest>;

const Count = z.number().int().nonnegative();
/** Per threshold, the share of the population within it: of a negative-pressure unit, of an ordinary one. */
const Within = z.array(z.object({ minutes: z.number(), negativePressure: z.number(), ordinary: z.number() }));

/** The county's coverage figures (server/domain/coverage.ts). */
export const CoverageFigures = z.object({
  thresholdsMin: z.array(z.number()),
  population: Count,
  within: Within,
  towns: z.array(z.object({ name: z.string(), population: Count, negativePressureShare: z.number(), uncovered: z.boolean() })),
  /** Names of the uncovered towns, most people first. */
  uncoveredTowns: z.array(z.string()),
});

/** A move-up the board suggests: this idle unit to this standby point, and what it wins. */
export const MoveUpSuggestion = z.object({
  ambulanceId: z.string(),
  callSign: z.string(),
  pointId: z.string(),
  pointName: z.string(),
  location: z.tuple([z.number(), z.number()]),
  before: z.number(),
  after: z.number(),
  targetMinutes: z.number(),
  words: z.object({ zh: z.string(), en: z.string() }),
});

/** GET /api/coverage's `data`: the coverage state (server/services/coverage.ts), the standby points and the thresholds. */
export const CoverageAnswer = z.object({
  version: z.number(),
  at: z.number(),
  router: z.string(),
  figures: CoverageFigures,
  /** Per grid: minutes to the nearest negative-pressure / ordinary unit, null beyond the search. */
  grids: z.array(z.object({ id: z.string(), negativePressure: z.number().nullable(), ordinary: z.number().nullable() })),
  suggestions: z.array(MoveUpSuggestion),
  points: z.array(StandbyPointSchema).readonly(),
  thresholdsMin: z.array(z.number()),
  targetMin: z.number(),
});

/** GET /api/coverage/summary's `data`: the county's figures only (the wall: aggregates, no units). */
export const CoverageSummary = z.object({
  at: z.number(),
  population: Count,
  within: Within,
  uncoveredTowns: z.array(z.string()),
  thresholdsMin: z.array(z.number()),
});
