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
