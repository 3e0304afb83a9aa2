// Mass-testing rounds (全员核酸检测, DOMAIN.md): the command center starts a round for a
// set of grids with a deadline of 5–7 days; each grid's people sampled in the round are
// counted against its population. Entities and the API's bodies. No Node imports.
import { z } from 'zod';
import { Id, Millis, VisibleText } from './entities.ts';

const Count = z.number().int().nonnegative();

/** 进行中 / 已完成 (every grid sampled) / 已结束 (ended by the command center before that). */
export const RoundStatus = z.enum(['active', 'completed', 'ended']);
/** The whole population within 5–7 days. */
export const DeadlineDays = z.number().int().min(5).max(7);

export const TestingRound = z.object({
  id: Id,
  /** 第N轮: one more than the highest round the store holds. */
  number: z.number().int().positive(),
  name: z.string().min(1).max(50),
  /** What the commander picked: the whole county, some towns (named in `towns`), or some grids. */
  scope: z.enum(['county', 'towns', 'grids']),
  towns: z.array(z.string()),
  gridIds: z.array(Id).min(1),
  /** 应采人数: the covered grids' population when the round started. */
  population: Count,
  startedAt: Millis,
  deadlineDays: DeadlineDays,
  /** Who started and who ended it (staff names: blanked on the wall). */
  startedBy: z.string(),
  status: RoundStatus,
  endedAt: Millis.nullable(),
  endedBy: z.string().nullable(),
  updatedAt: Millis,
});

/** One grid in one round: people sampled so far against the grid's population at the start. */
export const RoundGrid = z.object({
  /** `<roundId>.<gridId>` */
  id: Id,
  roundId: Id,
  gridId: Id,
  townName: z.string(),
  population: Count,
  sampled: Count,
  updatedAt: Millis,
});

export const roundGridId = (roundId: string, gridId: string): string => `${roundId}.${gridId}`;

/** POST /api/testing-rounds: exactly one of county, towns or grids. */
export const NewTestingRound = z
  .object({
    name: VisibleText(50).optional(),
    county: z.literal(true).optional(),
    towns: z.array(z.string().min(1).max(50)).min(1).max(50).optional(),
    grids: z.array(Id).min(1).max(5000).optional(),
    /** Default: ROUND_DEADLINE_DAYS. */
    deadlineDays: DeadlineDays.optional(),
  })
  .strict()
  .refine((b) => [b.county, b.towns, b.grids].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of county, towns or grids',
  });
export type NewTestingRound = z.infer<typeof NewTestingRound>;

/**
 * POST /api/round-grids/:id/ops: people sampled in a grid, added to its count (a
 * sampling point's tally since its last report) or set as the grid's total; applied at
 * most once per opId (a tablet retrying after a lost answer).
 */
export const RoundGridOp = z
  .object({
    opId: z.uuid(),
    op: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('add'), count: z.number().int().min(-10_000).max(100_000) }).strict(),
      z.object({ kind: z.literal('set'), total: Count.max(1_000_000) }).strict(),
    ]),
  })
  .strict();
export type RoundGridOp = z.infer<typeof RoundGridOp>;

/** POST /api/testing-rounds/:id/end */
export const EndTestingRound = z.object({ reason: z.string().trim().max(200).optional() }).strict();

export type RoundStatus = z.infer<typeof RoundStatus>;
export type TestingRound = z.infer<typeof TestingRound>;
export type RoundGrid = z.infer<typeof RoundGrid>;

/** How a round, a town or a grid stands: on track, behind the expected share, past the deadline, or done. */
export const RoundState = z.enum(['on-track', 'behind', 'overdue', 'done']);
const Tally = { population: Count, sampled: Count, grids: Count, gridsDone: Count };
/** A town's or the county's progress ('全县' for the county). */
export const AreaProgress = z.object({ name: z.string(), ...Tally, share: z.number(), remaining: Count, state: RoundState });

/** GET /api/testing-rounds/:id/progress (server/domain/testing-round.ts): per grid, town and county, with the on-track judgement. */
export const RoundProgress = z.object({
  roundId: z.string(),
  number: z.number().int().positive(),
  name: z.string(),
  status: RoundStatus,
  startedAt: Millis,
  deadlineAt: Millis,
  deadlineDays: z.number(),
  /** Progress is judged as of this time: now, or when the round ended. */
  asOf: Millis,
  /** Days until the deadline (negative once passed), as of `asOf`. */
  daysLeft: z.number(),
  expected: z.number(),
  county: AreaProgress,
  towns: z.array(AreaProgress),
  grids: z.array(z.object({ gridId: z.string(), townName: z.string(), population: Count, sampled: Count, share: z.number(), state: RoundState })),
});
export const RoundProgressAnswer = z.object({ seq: Count, at: Millis, data: RoundProgress }).describe("The round's progress per grid, town and county");
