// The live store: one interface made of one interface per concern (live state, accounts,
// sets, history, documents, audit, claims), each with a memory and a Redis part (memory/,
// redis/) composed into one object (compose.ts), all passing one contract suite (test/store/).
import type { TownSetStore } from './town-set.ts';
import type { Change, CollectionName, Delta, EntityOf, LiveCollections, Snapshot } from '../schema/index.ts';
import type { Role } from '../schema/index.ts';
import { createHash } from 'node:crypto';
import type { TerminalStore } from './terminal-store.ts';

/** An account as the store keeps it (never sent to clients as is). */
export interface StoredUser {
  username: string;
  role: Role;
  /** scrypt hash and salt, both base64. */
  passwordHash: string;
  salt: string;
  disabled: boolean;
  createdAt: number;
  /** A field lead's own sampling points. */
  samplingPoints?: string[];
  /** Bumped by the store on every write through updateUser (its compare-and-set); absent: 0. */
  version?: number;
  /**
   * Bumped by every change that must end the account's sessions (disabled, another role,
   * a new password, signed out everywhere); a session lives only while it carries the
   * account's current epoch. Absent: 0.
   */
  epoch?: number;
}

export interface StoredSession {
  token: string;
  username: string;
  role: Role;
  expiresAt: number;
  /** The account's epoch when the session was opened (absent: 0); see StoredUser.epoch. */
  epoch?: number;
}

/** Where a session is kept: the SHA-256 of its token, so the store never holds a usable token. */
export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A session is usable only while its account exists, is enabled, and still has its role and epoch. */
export function sessionValid(session: StoredSession, user: StoredUser | undefined, now: number): boolean {
  return session.expiresAt > now && !!user && !user.disabled && user.role === session.role && (user.epoch ?? 0) === (session.epoch ?? 0);
}

/** A committed grid set: it replaces the county's grids file, in every process, and after restarts. */
export interface StoredGridSet {
  /** The content's hash (see county/grid-layer.ts). */
  version: string;
  /** The grids as GeoJSON text. */
  gridsJson: string;
  committedAt: number;
  by: string;
}

/** A committed road set (an import's network): it replaces the county's roads file, in every process, and after restarts. */
export interface StoredRoadSet {
  /** The content's hash. */
  version: string;
  /** The roads as GeoJSON text (RoadCollection). */
  roadsJson: string;
  committedAt: number;
  by: string;
}

/**
 * A JT/T 808 terminal's registration (0x0100 answered with an auth code): the identity it
 * registered with and a hash of its code, so that every gateway process checks the code
 * and a bound terminal cannot be registered again until an admin clears it.
 */
export interface StoredTerminalRegistration {
  /** The terminal's phone number as county/county.ts terminalKey() spells it. */
  phone: string;
  /** SHA-256 of the auth code, hex. */
  codeHash: string;
  terminalId: string;
  plate: string;
  registeredAt: number;
}

/**
 * The store could not vouch for a write: a replica did not confirm it in time (WAIT), or
 * Redis refused it (NOREPLICAS, READONLY during a failover). Answered 503 like a store that
 * does not answer: the client keeps the change and retries it (an opId makes that exactly once).
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export type DeltaListener = (delta: Delta) => void;
/** What ended: one session (by its sessionId, never its token), or every session of an account. */
export type Revoked = { sessionId: string } | { username: string };
export type RevokedListener = (revoked: Revoked) => void;

/** Which entity: its collection and id. */
export interface EntityKey {
  collection: CollectionName;
  id: string;
}
export type AnyEntity = EntityOf<CollectionName>;

/** Live state: the entities, their sequence of deltas and who hears them (memory/live-state.ts, redis/live-state.ts). */
export interface LiveState {
  /** All live state and the seq it is consistent with, read atomically. */
  snapshot(): Promise<Snapshot>;
  /** One entity, or undefined. */
  get<C extends CollectionName>(collection: C, id: string): Promise<EntityOf<C> | undefined>;
  /**
   * Applies changes atomically under the next sequence number, appends them to
   * the event log and notifies every subscriber (in every process) in seq order.
   */
  apply(changes: Change[], at: number): Promise<Delta>;
  /**
   * Reads entities, lets `update` compute changes from them, and applies those
   * only if none of the read entities changed meanwhile (retrying otherwise):
   * the read-modify-write for partial updates.
   */
  update<C extends CollectionName>(collection: C, id: string, update: (current: EntityOf<C> | undefined) => Change[] | null, at: number): Promise<Delta | null>;
  /**
   * update() over several entities at once (a task and its ambulance): `update` sees
   * them in the order of `keys`, and its changes are applied only if none of them
   * changed meanwhile (retrying otherwise).
   */
  updateMany(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number): Promise<Delta | null>;
  /**
   * update() for an operation a client may send more than once (an offline
   * tablet retrying): the change is applied only if `once.key` was never used
   * within `once.ttlMs`, atomically with the write; a repeat resolves to
   * 'duplicate' and writes nothing.
   */
  updateOnce<C extends CollectionName>(
    once: { key: string; ttlMs: number },
    collection: C,
    id: string,
    update: (current: EntityOf<C> | undefined) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'>;
  /** The store's epoch: made once, the first time any process asks; see schema/live.ts. */
  epoch(): Promise<string>;
  /** The current sequence number (0 before any change). */
  seq(): Promise<number>;
  /** Deltas with seq > after, oldest first, as far as the event log still holds them. */
  deltasSince(after: number): Promise<Delta[] | null>;
  /**
   * Calls listener with every delta applied after the returned promise resolves,
   * by any process, in seq order. Resolves to the unsubscribe function. `onReset`
   * is called when the feed cannot go on where it was (the store came back from a
   * restart without its last events, or empty): state held from it must be reloaded.
   */
  subscribe(listener: DeltaListener, onReset?: () => void): Promise<() => void>;
  /** Ids of ambulances within radius metres of a point, nearest first (the GEO set). */
  ambulancesNear(lng: number, lat: number, radiusMeters: number): Promise<string[]>;
}

/** Accounts and their sessions (memory/accounts.ts, redis/accounts.ts). */
export interface Accounts {
  getUser(username: string): Promise<StoredUser | undefined>;
  putUser(user: StoredUser): Promise<void>;
  /** Adds an account only if none has its username (false otherwise), atomically. */
  addUser(user: StoredUser): Promise<boolean>;
  countUsers(): Promise<number>;
  /** Every account, by username. */
  listUsers(): Promise<StoredUser[]>;
  /**
   * Compare-and-set of one account: `update` sees the account as stored (undefined: none)
   * and returns it as it should be (null: leave it); it is written, its version bumped,
   * only if nobody wrote the account meanwhile, else read and computed again (in one
   * synchronous step in memory). Resolves to the account written, null when `update`
   * returned null, or 'conflict' when it kept changing under every attempt.
   */
  updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null): Promise<StoredUser | null | 'conflict'>;
  /**
   * Kept until `expiresAt`, counted on `now`, the app's clock (which tests may set in the
   * past), under sessionId(token), never the token itself.
   */
  putSession(session: StoredSession, now: number): Promise<void>;
  /**
   * The session for a token, only while sessionValid (checked against the account as it is
   * now, read in the same step: on Redis one round trip).
   */
  getSession(token: string, now: number): Promise<StoredSession | undefined>;
  /** Ends one session (signing out), telling every process at once (see onRevoked). */
  deleteSession(token: string): Promise<void>;
  /**
   * Ends every session of an account (disabled, its role or password changed, or its
   * tokens revoked) and tells every process at once (see onRevoked). Resolves to the
   * number of sessions that were still open.
   */
  revokeSessions(username: string, now: number): Promise<number>;
  /**
   * Calls listener whenever any process ends a session (its token) or every session of
   * an account (its username), so the live sockets signed in with them are cut at once.
   * Resolves to the unsubscribe.
   */
  onRevoked(listener: RevokedListener): Promise<() => void>;
}

/** The committed grid and road sets (memory/sets.ts, redis/sets.ts); the town set is town-set.ts (memory/towns.ts, redis/towns.ts). */
export interface GridAndRoadSets {
  /** The committed grid set, or undefined when none was ever committed (the county's file holds). */
  getGridSet(): Promise<StoredGridSet | undefined>;
  /** Only its version (a cheap check that a process missed no commit). */
  gridSetVersion(): Promise<string | undefined>;
  /**
   * Commits a grid set and the live changes it brings (grid statuses added and removed,
   * entities stamped with their new grid) in one atomic step: `changesFor` computes them
   * from the whole live state as read, and they are written, as one delta, only if nothing
   * at all was written since (an entity added or moved meanwhile, by any process, makes it
   * read and compute again). The set becomes the committed one in the same step, and every
   * process is told (onGridSet). With no changes the set alone is committed, and null returned.
   */
  commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null>;
  /** Calls listener with the version of every grid set committed by any process. Resolves to the unsubscribe. */
  onGridSet(listener: (version: string) => void): Promise<() => void>;

  /** The committed road set, or undefined when none was ever committed (the county's roads file holds). */
  getRoadSet(): Promise<StoredRoadSet | undefined>;
  roadSetVersion(): Promise<string | undefined>;
  /**
   * Makes a road set the committed one in one atomic step and tells every process (onRoadSet).
   * Roads change no live entity (units and calls keep their grids), so no delta is written.
   */
  commitRoadSet(set: StoredRoadSet): Promise<void>;
  /** Calls listener with the version of every road set committed by any process (and, after a lost connection, the stored one). */
  onRoadSet(listener: (version: string) => void): Promise<() => void>;
}

/** The key-figure history (memory/history.ts, redis/history.ts). */
export interface HistoryLog {
  /**
   * Appends one point of the key-figure history, once per `slot` whichever process
   * asks first (false for the others), and forgets points older than `retentionMs`.
   */
  appendHistory(slot: string, at: number, json: string, retentionMs: number): Promise<boolean>;
  /** History points at or after `since`, oldest first. */
  historySince(since: number): Promise<{ at: number; json: string }[]>;
}

/** Documents by kind and id: the daily reports (memory/documents.ts, redis/documents.ts). */
export interface Documents {
  /** Keeps a document (a daily report) under its kind and id, replacing one with the same id. */
  putDocument(kind: string, id: string, json: string): Promise<void>;
  getDocument(kind: string, id: string): Promise<string | undefined>;
  /** Every document kept under `kind`, sorted by id (for small documents: an index). */
  getDocuments(kind: string): Promise<{ id: string; json: string }[]>;
}

/** The append-only audit log (memory/audit.ts, redis/audit.ts). */
export interface AuditLog {
  /**
   * Appends one entry to the append-only audit log (JSON), forgetting entries older
   * than `retentionMs` and, given `maxEntries`, the oldest beyond about that many (on
   * Redis: trimmed by whole stream nodes, so a little more may stay). Entries get ids in
   * time order (Redis stream ids: `<ms>-<n>`). Rejects when the entry was not written.
   */
  appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number): Promise<string>;
  /** Audit entries newest first, at most `limit`, older than the id `before` when given. */
  auditPage(limit: number, before?: string): Promise<{ id: string; json: string }[]>;
}

/** What is had once: start-up claims and terminal registrations (memory/claims.ts, redis/claims.ts). */
export interface Claims {
  /**
   * True for the first caller ever to claim `name` on this store, false for every
   * later one, in any process: start-up work (seeding, demo accounts) runs once.
   */
  claimOnce(name: string): Promise<boolean>;

  /** Keeps a terminal's registration only if it has none (false otherwise), atomically. */
  claimTerminalRegistration(registration: StoredTerminalRegistration): Promise<boolean>;
  getTerminalRegistration(phone: string): Promise<StoredTerminalRegistration | undefined>;
  /** Forgets a terminal's registration (an admin letting it register again); false when it had none. */
  clearTerminalRegistration(phone: string): Promise<boolean>;
}

/**
 * The store the app sees: every concern above as one object (compose.ts puts the parts
 * together; memory-store.ts and redis-store.ts build them).
 */
export interface LiveStore extends LiveState, Accounts, GridAndRoadSets, TownSetStore, HistoryLog, Documents, AuditLog, Claims {
  /** 'redis' or 'memory', for /api/health and logs. */
  readonly kind: 'redis' | 'memory';

  /** Vehicle terminals: which identities each vehicle holds, and the unknown terminals that reported (terminal-store.ts). */
  readonly terminals: TerminalStore;

  /** True when the store answers (for /api/health). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
