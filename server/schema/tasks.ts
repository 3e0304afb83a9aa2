// The board's tasks: a transfer task (a patient moved by a unit, step by step) and a move
// task (an idle unit sent to a standby point). Part of the one schema module (index.ts).
import { z } from 'zod';
import { Id, LngLat, Millis } from './entities.ts';

/**
 * A transfer task's life: created → assigned → en route → on scene → transporting →
 * handed over → disinfecting → closed; cancelled from any state before handed over.
 * The rules of which step may follow which live in server/domain/transfer-machine.ts.
 */
export const TransferStatus = z.enum(['created', 'assigned', 'en-route', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'closed', 'cancelled']);

/** What the dispatcher recorded on the call (see server/domain/dispatch-rules.ts). */
export const CallAnswers = z.object({
  symptoms: z.boolean(),
  history: z.object({ travel: z.boolean(), residence: z.boolean(), contact: z.boolean(), exposure: z.boolean() }),
  condition: z.enum(['stable', 'critical', 'unknown']),
  facilityTransfer: z.boolean(),
});

/** One step of a task: who moved it, when, and where the unit was. */
export const TransferStep = z.object({
  from: TransferStatus.nullable(),
  to: TransferStatus,
  at: Millis,
  by: z.string(),
  fix: LngLat.nullable(),
  note: z.string().max(500).optional(),
});

export const TransferTask = z.object({
  id: Id,
  /** Null until a unit is assigned (a call waiting for a free unit). */
  ambulanceId: Id.nullable(),
  status: TransferStatus,
  call: CallAnswers,
  /** Which of the 120 center's dispatch rules (1–3) chose the crew; null for a routine call. */
  rule: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  crew: z.enum(['negative-pressure', 'ordinary-enhanced', 'ordinary']),
  /** Terminal disinfection is required before the unit's next job (every rule-based transfer). */
  highRisk: z.boolean(),
  pickup: z.object({ location: LngLat, gridId: Id.nullable(), townName: z.string().nullable(), address: z.string().max(200) }),
  /** Patient's name or the caller's reference; personal data, never shown on the wall. */
  patient: z.string().max(100),
  destinationId: Id.nullable(),
  /** The route leaves the county: reported to the city health commission. */
  crossDistrict: z.boolean(),
  handover: z.object({ sendingSide: z.string().max(100), crew: z.array(z.string()), receivingHospitalId: Id, receivedBy: z.string().max(100) }).nullable(),
  decontamination: z.object({ pointId: Id, startedAt: Millis, completedAt: Millis.nullable() }).nullable(),
  steps: z.array(TransferStep),
  /**
   * The unit's arrival where this status expects it (server/domain/arrival-fence.ts): the
   * pickup en route, the hospital transporting, a decontamination point after a high-risk
   * hand-over. Once `arrivedAt` is set the board proposes `proposes` to the dispatcher, with
   * that time of arrival. Stale once the task moved to another status.
   */
  arrival: z
    .object({
      status: TransferStatus,
      place: z.enum(['pickup', 'hospital', 'decontamination']),
      placeId: Id.nullable(),
      location: LngLat,
      proposes: TransferStatus,
      enteredAt: Millis.nullable(),
      arrivedAt: Millis.nullable(),
      leftAt: Millis.nullable(),
    })
    .nullable()
    .optional(),
  createdBy: z.string(),
  createdAt: Millis,
  updatedAt: Millis,
});

/**
 * A move-up (issue 18, part 2): an idle unit sent to a standby point to restore coverage,
 * a task of its own kind (not a transfer: the unit stays 待命 and may take a call on the
 * way). One per unit at a time, id `MV-<unit id>`; its status moves en route → arrived,
 * or cancelled (by the dispatcher, or when the unit takes a call).
 */
export const MoveTaskStatus = z.enum(['en-route', 'arrived', 'cancelled']);
export const MoveTask = z.object({
  id: Id,
  kind: z.literal('move'),
  ambulanceId: Id,
  callSign: z.string(),
  pointId: Id,
  pointName: z.string(),
  location: LngLat,
  status: MoveTaskStatus,
  /** The suggestion accepted: negative-pressure coverage at the target threshold, before and after. */
  coverageBefore: z.number().min(0).max(1),
  coverageAfter: z.number().min(0).max(1),
  targetMinutes: z.number().positive(),
  createdBy: z.string(),
  createdAt: Millis,
  endedAt: Millis.nullable(),
  updatedAt: Millis,
});

export type TransferTask = z.infer<typeof TransferTask>;
export type TransferStatus = z.infer<typeof TransferStatus>;
export type CallAnswers = z.infer<typeof CallAnswers>;
export type TransferStep = z.infer<typeof TransferStep>;
export type MoveTask = z.infer<typeof MoveTask>;
export type MoveTaskStatus = z.infer<typeof MoveTaskStatus>;
