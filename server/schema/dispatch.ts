// Request and response bodies of dispatch: the recommendation for a call and the
// transfer task's steps.
import { z } from 'zod';
import { Id, LngLat } from './entities.ts';
import { CallAnswers, TransferStatus } from './tasks.ts';

const Words = z.object({ zh: z.string(), en: z.string() });

/** Where the patient is: a point (a map click, typed coordinates) or a grid picked from the gazetteer. */
export const PickupPlace = z.union([z.object({ location: LngLat }).strict(), z.object({ gridId: Id }).strict()]);

export const RecommendRequest = z
  .object({
    call: CallAnswers,
    pickup: PickupPlace,
    /** How many ranked units to return (routes are drawn for the first three). */
    limit: z.number().int().min(1).max(20).default(5),
  })
  .strict();
export type RecommendRequest = z.input<typeof RecommendRequest>;

export const UnitOption = z.object({
  ambulanceId: Id,
  callSign: z.string(),
  kind: z.enum(['negative-pressure', 'ordinary']),
  station: z.string(),
  crew: z.array(z.string()),
  etaSeconds: z.number(),
  distanceMeters: z.number(),
  fixAgeSeconds: z.number(),
  /** The way from the unit to the patient, for the first few options. */
  route: z.array(LngLat).nullable(),
});
export type UnitOption = z.infer<typeof UnitOption>;

export const ResolvedPickup = z.object({
  location: LngLat,
  gridId: Id.nullable(),
  gridName: z.string().nullable(),
  townName: z.string().nullable(),
  /** False for a place outside the county (a cross-district transfer). */
  inCounty: z.boolean(),
});

export const Recommendation = z.object({
  decision: z.object({
    rule: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
    crew: z.enum(['negative-pressure', 'ordinary-enhanced', 'ordinary']),
    destination: z.enum(['designated', 'fever-clinic', 'nearest-hospital']),
    suspected: z.boolean(),
    reason: Words,
  }),
  pickup: ResolvedPickup,
  /** Units of the required kind that may go now, fastest first. Empty when none may. */
  options: z.array(UnitOption),
  /** When no unit of the required kind may go: the best other choice and why. */
  fallback: z.object({ reason: Words, options: z.array(UnitOption) }).nullable(),
  /** Why units of the required kind were left out, by cause. */
  excluded: z.object({ busy: z.number(), disinfecting: z.number(), offline: z.number(), staleFix: z.number() }),
  destination: z
    .object({
      hospitalId: Id,
      name: z.string(),
      reason: Words,
      etaSeconds: z.number().nullable(),
      route: z.array(LngLat).nullable(),
    })
    .nullable(),
  router: z.enum(['graph', 'osrm']),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const CreateTransferRequest = z
  .object({
    call: CallAnswers,
    pickup: PickupPlace,
    address: z.string().trim().max(200).default(''),
    patient: z.string().trim().max(100).default(''),
    /** Assign this unit at once (atomically: if another dispatcher took it, 409). */
    ambulanceId: Id.optional(),
    /** Otherwise the recommendation's. */
    destinationId: Id.optional(),
  })
  .strict();
export type CreateTransferRequest = z.input<typeof CreateTransferRequest>;

export const TransitionRequest = z
  .object({
    to: TransferStatus,
    ambulanceId: Id.optional(),
    decontaminationPointId: Id.optional(),
    handover: z
      .object({ sendingSide: z.string().trim().max(100), receivingHospitalId: Id.optional(), receivedBy: z.string().trim().max(100) })
      .strict()
      .optional(),
    note: z.string().trim().max(500).optional(),
    /** Compare-and-set: the step is taken only while the task is still in this status (409 otherwise). */
    from: TransferStatus.optional(),
    /**
     * Accepting the board's arrival proposal (task.arrival): the step is recorded at the time
     * of arrival it detected, not now; 409 when no such proposal stands any more.
     */
    arrival: z.literal(true).optional(),
  })
  .strict();
export type TransitionRequest = z.input<typeof TransitionRequest>;

export const DecontaminationDone = z.object({ decontaminationPointId: Id.optional() }).strict();

/** A place in the county's gazetteer: a town, a village or community, or a grid. */
export const GazetteerEntry = z.object({
  kind: z.enum(['town', 'village', 'grid']),
  id: z.string(),
  name: z.string(),
  townName: z.string(),
  villageName: z.string().nullable(),
  /** A point inside the place, to stamp a call with. */
  point: LngLat,
});
export type GazetteerEntry = z.infer<typeof GazetteerEntry>;

export const GazetteerQuery = z.object({
  q: z.string().trim().min(1).max(40),
  limit: z.coerce.number().int().min(1).max(50).default(12),
});
