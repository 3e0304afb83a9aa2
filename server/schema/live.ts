// Live state as the store keeps it and the realtime gateway sends it:
// named collections of entities, changed only by sequenced deltas.
import { z } from 'zod';
import { Alert, Ambulance, GridStatus, Hospital, Id, IsolationHotel, Lat, Lng, Millis, SampleBatch, SamplingPoint } from './entities.ts';
import { MoveTask, TransferTask } from './tasks.ts';
import { RoundGrid, TestingRound } from './testing-rounds.ts';

/** Every live collection and the schema of its entities. */
export const collectionSchemas = {
  gridStatus: GridStatus,
  samplingPoints: SamplingPoint,
  hotels: IsolationHotel,
  hospitals: Hospital,
  ambulances: Ambulance,
  transfers: TransferTask,
  alerts: Alert,
  sampleBatches: SampleBatch,
  testingRounds: TestingRound,
  roundGrids: RoundGrid,
  moveTasks: MoveTask,
} as const;

export type CollectionName = keyof typeof collectionSchemas;
export const collectionNames = Object.keys(collectionSchemas) as CollectionName[];
export const CollectionName = z.enum(collectionNames as [CollectionName, ...CollectionName[]]);
export type EntityOf<C extends CollectionName> = z.infer<(typeof collectionSchemas)[C]>;

const upsertOf = <C extends CollectionName>(collection: C) => z.object({ op: z.literal('upsert'), collection: z.literal(collection), entity: collectionSchemas[collection] });

export const Upsert = z.union([
  upsertOf('gridStatus'),
  upsertOf('samplingPoints'),
  upsertOf('hotels'),
  upsertOf('hospitals'),
  upsertOf('ambulances'),
  upsertOf('transfers'),
  upsertOf('alerts'),
  upsertOf('sampleBatches'),
  upsertOf('testingRounds'),
  upsertOf('roundGrids'),
  upsertOf('moveTasks'),
]);
export const Removal = z.object({ op: z.literal('remove'), collection: CollectionName, id: Id });
/** One change to one entity. */
export const Change = z.union([Upsert, Removal]);

/**
 * An ambulance that only moved, as a screen gets it instead of the whole vehicle:
 * [id, lng, lat, fix time, speed, heading, gridId, updatedAt]. The gateway sends
 * one only to a screen that holds the vehicle as it was just before; it applies
 * after the frame's changes (applyDelta). The store never keeps one.
 */
export const Move = z.tuple([Id, Lng, Lat, Millis, z.number().min(0).max(400), z.number().min(0).lt(360), Id.nullable(), Millis]);

/**
 * A batch of changes applied atomically under one sequence number; or, sent to a
 * screen, a frame of the consecutive deltas `from` … `seq` coalesced into one
 * (`from` absent means `from` = `seq`), its movements as `moves`.
 */
export const Delta = z.object({
  from: z.number().int().positive().optional(),
  seq: z.number().int().positive(),
  at: Millis,
  changes: z.array(Change),
  moves: z.array(Move).optional(),
});

/** Every collection's entities, keyed by id. */
export const LiveCollections = z.object({
  gridStatus: z.record(z.string(), GridStatus),
  samplingPoints: z.record(z.string(), SamplingPoint),
  hotels: z.record(z.string(), IsolationHotel),
  hospitals: z.record(z.string(), Hospital),
  ambulances: z.record(z.string(), Ambulance),
  transfers: z.record(z.string(), TransferTask),
  alerts: z.record(z.string(), Alert),
  sampleBatches: z.record(z.string(), SampleBatch),
  testingRounds: z.record(z.string(), TestingRound),
  roundGrids: z.record(z.string(), RoundGrid),
  moveTasks: z.record(z.string(), MoveTask),
});

/**
 * Why a client got a snapshot: it connected afresh, it asked (after a gap), or it
 * asked to resume from a seq the event log no longer holds (or never held).
 */
export const SnapshotReason = z.enum(['connect', 'resync', 'resume-unavailable', 'resubscribe', 'store-recovered']);

/**
 * Whether the server can reach its store, and since when (server clock). While it
 * cannot, nothing on screen is live: the server keeps what it last had, refuses writes.
 */
export const StoreStatus = z.object({ reachable: z.boolean(), since: Millis });
export type StoreStatus = z.infer<typeof StoreStatus>;

/**
 * The store's timeline: made once when a store is first used. A client's lastSeq means
 * something only within the epoch it came from (a wiped and reseeded store starts anew,
 * and its seq may pass the client's).
 */
export const Epoch = z.string().min(1).max(64);

/** All live state as of `seq` (0 for a store that has never changed). */
export const Snapshot = z.object({
  seq: z.number().int().nonnegative(),
  at: Millis,
  collections: LiveCollections,
  reason: SnapshotReason.optional(),
  /** The store's epoch, sent by the gateway: the client names it when it resumes. */
  epoch: Epoch.optional(),
});

/** The answer to a resume: exactly the deltas after `after`, in order, from the event log. */
export const Replay = z.object({
  after: z.number().int().nonnegative(),
  deltas: z.array(Delta),
  epoch: Epoch.optional(),
});

/**
 * What a screen subscribes to: some layers and, optionally, an area (a town by
 * name, a list of grids, or a bounding box [west, south, east, north]).
 */
export const Subscription = z
  .object({
    layers: z.array(CollectionName).min(1).optional(),
    area: z
      .union([
        z.object({ town: z.string().min(1) }).strict(),
        z.object({ grids: z.array(Id).min(1).max(5000) }).strict(),
        z.object({ bbox: z.tuple([Lng, Lat, Lng, Lat]) }).strict(),
      ])
      .optional(),
  })
  .strict();
export type Subscription = z.infer<typeof Subscription>;

/** What a client may put in the socket.io handshake's `auth`. */
export const LiveHandshake = z.object({
  token: z.string().min(1),
  /** The last seq this client applied: resume from it instead of a full snapshot. */
  lastSeq: z.number().int().nonnegative().optional(),
  /** The epoch that lastSeq belongs to. */
  epoch: Epoch.optional(),
  /** Only these layers and this area; absent for everything. */
  subscribe: Subscription.optional(),
});

export type Upsert = z.infer<typeof Upsert>;
export type Removal = z.infer<typeof Removal>;
export type Change = z.infer<typeof Change>;
export type Delta = z.infer<typeof Delta>;
export type Move = z.infer<typeof Move>;
export type LiveCollections = z.infer<typeof LiveCollections>;
export type Snapshot = z.infer<typeof Snapshot>;
export type SnapshotReason = z.infer<typeof SnapshotReason>;
export type Replay = z.infer<typeof Replay>;
export type LiveHandshake = z.infer<typeof LiveHandshake>;

export function emptyCollections(): LiveCollections {
  return {
    gridStatus: {},
    samplingPoints: {},
    hotels: {},
    hospitals: {},
    ambulances: {},
    transfers: {},
    alerts: {},
    sampleBatches: {},
    testingRounds: {},
    roundGrids: {},
    moveTasks: {},
  };
}

/**
 * Applies a delta (or a frame) to collections in place: its changes, then its
 * moves. The one reducer of every screen.
 */
export function applyDelta(target: LiveCollections, delta: Pick<Delta, 'changes' | 'moves'>): void {
  applyChanges(target, delta.changes);
  if (delta.moves) applyMoves(target, delta.moves);
}

/** Applies movements to the ambulances held; a vehicle not held is not made up from one. */
export function applyMoves(target: LiveCollections, moves: readonly Move[]): void {
  const ambulances = target.ambulances;
  for (const [id, lng, lat, at, speed, heading, gridId, updatedAt] of moves) {
    const held = ambulances[id];
    if (held) ambulances[id] = { ...held, fix: { lng, lat, at, speed, heading }, gridId, updatedAt };
  }
}

/** Applies a delta's changes to collections in place (the in-process store's reducer; screens use applyDelta). */
export function applyChanges(target: LiveCollections, changes: readonly Change[]): void {
  for (const change of changes) {
    const coll = target[change.collection] as Record<string, unknown>;
    if (change.op === 'upsert') coll[change.entity.id] = change.entity;
    else delete coll[change.id];
  }
}
