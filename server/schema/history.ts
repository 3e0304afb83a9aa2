// The key figures sampled over time for the trend charts (and the daily report).
import { z } from 'zod';

export const HistoryPoint = z.object({
  at: z.number().int().nonnegative(),
  queuing: z.number().int().nonnegative(),
  openPoints: z.number().int().nonnegative(),
  crowdedPoints: z.number().int().nonnegative(),
  samplesToday: z.number().int().nonnegative(),
  isolationPeople: z.number().int().nonnegative(),
  roomsOccupied: z.number().int().nonnegative(),
  roomsTotal: z.number().int().nonnegative(),
  /** Occupied beds ÷ maximum capacity per tier (0–1+). */
  designatedOccupancy: z.number().nonnegative(),
  reserveOccupancy: z.number().nonnegative(),
  ambulancesAvailable: z.number().int().nonnegative(),
  /** Written by the simulator for the sample county's past, not measured. */
  simulated: z.boolean().optional(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const HistoryQuery = z.object({ hours: z.coerce.number().positive().max(168).default(12) });
