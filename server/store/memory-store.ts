// The in-process store: everything in this process's memory. It gives up what
// Redis gives: sharing state between server processes and keeping it after exit.
import { MemoryTownSets, type StoredTownSet } from './town-set.ts';
import { randomUUID } from 'node:crypto';
import { applyChanges, emptyCollections, type Change, type CollectionName, type Delta, type EntityOf, type LiveCollections, type Snapshot } from '../schema/index.ts';
import { distanceMeters } from '../geo/distance.ts';
import { MemoryTerminalStore } from './memory-terminal-store.ts';
import {
  sessionId,
  sessionValid,
  type AnyEntity,
  type DeltaListener,
  type EntityKey,
  type LiveStore,
  type RevokedListener,
  type StoredGridSet,
  type StoredRoadSet,
  type StoredSession,
  type StoredTerminalRegistration,
  type StoredUser,
} from './store.ts';

export interface MemoryStoreOptions {
  /** How many deltas the event log keeps for resuming clients. */
  eventRetention?: number;
}

export class MemoryStore implements LiveStore {
  readonly kind = 'memory' as const;
  readonly terminals = new MemoryTerminalStore();
  private collections: LiveCollections = emptyCollections();
  private currentSeq = 0;
  private log: Delta[] = [];
  private readonly listeners = new Set<DeltaListener>();
  private readonly users = new Map<string, StoredUser>();
  /** By sessionId(token): the token itself is never kept. */
  private readonly sessions = new Map<string, Omit<StoredSession, 'token'>>();
  private readonly retention: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.retention = options.eventRetention ?? 10_000;
  }

  async snapshot(): Promise<Snapshot> {
    return { seq: this.currentSeq, at: Date.now(), collections: structuredClone(this.collections) };
  }

  async get<C extends CollectionName>(collection: C, id: string): Promise<EntityOf<C> | undefined> {
    const entity = this.collections[collection][id];
    return entity === undefined ? undefined : (structuredClone(entity) as EntityOf<C>);
  }

  async apply(changes: Change[], at: number): Promise<Delta> {
    return this.applyNow(changes, at);
  }

  async update<C extends CollectionName>(collection: C, id: string, update: (current: EntityOf<C> | undefined) => Change[] | null, at: number): Promise<Delta | null> {
    // Read, compute and write happen in one synchronous step: nothing can interleave.
    const current = this.collections[collection][id];
    const changes = update(current === undefined ? undefined : (structuredClone(current) as EntityOf<C>));
    return changes && changes.length > 0 ? this.applyNow(changes, at) : null;
  }

  async updateMany(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number): Promise<Delta | null> {
    // Read, compute and write in one synchronous step, as update() does.
    const current = keys.map((k) => {
      const entity = this.collections[k.collection][k.id];
      return entity === undefined ? undefined : (structuredClone(entity) as AnyEntity);
    });
    const changes = update(current);
    return changes && changes.length > 0 ? this.applyNow(changes, at) : null;
  }

  /** Keys of operations already applied, with when they may be forgotten. */
  private readonly ops = new Map<string, number>();

  async updateOnce<C extends CollectionName>(
    once: { key: string; ttlMs: number },
    collection: C,
    id: string,
    update: (current: EntityOf<C> | undefined) => Change[] | null,
    at: number,
  ): Promise<Delta | null | 'duplicate'> {
    const now = Date.now();
    const until = this.ops.get(once.key);
    if (until !== undefined && until > now) return 'duplicate';
    // Check, compute, write and remember in one synchronous step, as update() does.
    const current = this.collections[collection][id];
    const changes = update(current === undefined ? undefined : (structuredClone(current) as EntityOf<C>));
    if (!changes || changes.length === 0) return null;
    const delta = this.applyNow(changes, at);
    this.ops.set(once.key, now + once.ttlMs);
    if (this.ops.size > 10_000) for (const [key, t] of this.ops) if (t <= now) this.ops.delete(key);
    return delta;
  }

  private applyNow(changes: Change[], at: number): Delta {
    if (changes.length === 0) throw new Error('apply: no changes');
    const delta: Delta = { seq: ++this.currentSeq, at, changes: structuredClone(changes) };
    applyChanges(this.collections, delta.changes);
    this.log.push(delta);
    if (this.log.length > this.retention * 1.25) this.log = this.log.slice(-this.retention);
    // Listeners run after apply resolves, as with Redis, and in seq order.
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(delta);
    });
    return delta;
  }

  private readonly epochId = randomUUID();

  async epoch(): Promise<string> {
    return this.epochId;
  }

  async seq(): Promise<number> {
    return this.currentSeq;
  }

  async deltasSince(after: number): Promise<Delta[] | null> {
    if (after >= this.currentSeq) return [];
    const first = this.log[0];
    if (!first || first.seq > after + 1) return null;
    return this.log.slice(after + 1 - first.seq);
  }

  async subscribe(listener: DeltaListener): Promise<() => void> {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ambulancesNear(lng: number, lat: number, radiusMeters: number): Promise<string[]> {
    return Object.values(this.collections.ambulances)
      .flatMap((a) => (a.fix ? [{ id: a.id, d: distanceMeters(lng, lat, a.fix.lng, a.fix.lat) }] : []))
      .filter((x) => x.d <= radiusMeters)
      .sort((x, y) => x.d - y.d)
      .map((x) => x.id);
  }

  async getUser(username: string): Promise<StoredUser | undefined> {
    const user = this.users.get(username);
    return user && { ...user };
  }

  async putUser(user: StoredUser): Promise<void> {
    this.users.set(user.username, { ...user });
  }

  async addUser(user: StoredUser): Promise<boolean> {
    if (this.users.has(user.username)) return false;
    this.users.set(user.username, { ...user });
    return true;
  }

  async updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null): Promise<StoredUser | null | 'conflict'> {
    // Read, compute and write in one synchronous step: nothing can interleave.
    const current = this.users.get(username);
    const next = update(current && { ...current });
    if (!next) return null;
    const written = { ...next, username, version: (current?.version ?? 0) + 1 };
    this.users.set(username, written);
    return { ...written };
  }

  async countUsers(): Promise<number> {
    return this.users.size;
  }

  async listUsers(): Promise<StoredUser[]> {
    return [...this.users.values()].map((u) => ({ ...u })).sort((a, b) => a.username.localeCompare(b.username));
  }

  async putSession(session: StoredSession, _now: number): Promise<void> {
    const { token, ...kept } = session;
    this.sessions.set(sessionId(token), kept);
  }

  async getSession(token: string, now: number): Promise<StoredSession | undefined> {
    const id = sessionId(token);
    const kept = this.sessions.get(id);
    if (!kept) return undefined;
    if (kept.expiresAt <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    const session = { ...kept, token };
    return sessionValid(session, this.users.get(kept.username), now) ? session : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    const id = sessionId(token);
    this.sessions.delete(id);
    for (const listener of this.revokedListeners) listener({ sessionId: id });
  }

  /** The keys sessions are kept under (for tests: never a token). */
  sessionKeys(): string[] {
    return [...this.sessions.keys()];
  }

  private readonly revokedListeners = new Set<RevokedListener>();

  async revokeSessions(username: string, now: number): Promise<number> {
    let open = 0;
    for (const [id, session] of this.sessions) {
      if (session.username !== username) continue;
      if (session.expiresAt > now) open++;
      this.sessions.delete(id);
    }
    for (const listener of this.revokedListeners) listener({ username });
    return open;
  }

  async onRevoked(listener: RevokedListener): Promise<() => void> {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private gridSet: StoredGridSet | undefined;
  private readonly gridSetListeners = new Set<(version: string) => void>();

  async getGridSet(): Promise<StoredGridSet | undefined> {
    return this.gridSet && { ...this.gridSet };
  }

  async gridSetVersion(): Promise<string | undefined> {
    return this.gridSet?.version;
  }

  async commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    // Read, compute, write the changes and the set in one synchronous step, as updateMany
    // does; computed again should `changesFor` itself have written (as Redis does for any write).
    for (let attempt = 0; attempt < 100; attempt++) {
      const read = this.currentSeq;
      const changes = changesFor(structuredClone(this.collections));
      if (this.currentSeq !== read) continue;
      const delta = changes.length > 0 ? this.applyNow(changes, at) : null;
      this.gridSet = { ...set };
      queueMicrotask(() => {
        for (const listener of this.gridSetListeners) listener(set.version);
      });
      return delta;
    }
    throw new Error('commitGridSet: the live state kept changing while the grid set was being committed');
  }

  async onGridSet(listener: (version: string) => void): Promise<() => void> {
    this.gridSetListeners.add(listener);
    return () => this.gridSetListeners.delete(listener);
  }

  private roadSet: StoredRoadSet | undefined;
  private readonly roadSetListeners = new Set<(version: string) => void>();

  async getRoadSet(): Promise<StoredRoadSet | undefined> {
    return this.roadSet && { ...this.roadSet };
  }

  async roadSetVersion(): Promise<string | undefined> {
    return this.roadSet?.version;
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    this.roadSet = { ...set };
    queueMicrotask(() => {
      for (const listener of this.roadSetListeners) listener(set.version);
    });
  }

  async onRoadSet(listener: (version: string) => void): Promise<() => void> {
    this.roadSetListeners.add(listener);
    return () => this.roadSetListeners.delete(listener);
  }

  /** The committed towns and villages (store/town-set.ts). */
  private readonly townSets = new MemoryTownSets();
  getTownSet = () => this.townSets.getTownSet();
  townSetVersion = () => this.townSets.townSetVersion();
  commitTownSet = (set: StoredTownSet) => this.townSets.commitTownSet(set);
  onTownSet = (listener: (version: string) => void) => this.townSets.onTownSet(listener);

  private readonly claims = new Set<string>();

  async claimOnce(name: string): Promise<boolean> {
    if (this.claims.has(name)) return false;
    this.claims.add(name);
    return true;
  }

  private history: { at: number; json: string }[] = [];
  /** Slots written, with when: forgotten with the points of their time. */
  private readonly historySlots = new Map<string, number>();

  private readonly documents = new Map<string, Map<string, string>>();
  private audit: { id: string; at: number; json: string }[] = [];
  private auditCounter = 0;

  async appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number): Promise<string> {
    const id = `${at}-${this.auditCounter++}`;
    this.audit.push({ id, at, json });
    this.audit = this.audit.filter((e) => e.at >= at - retentionMs);
    if (maxEntries !== undefined && this.audit.length > maxEntries) this.audit = this.audit.slice(-maxEntries);
    return id;
  }

  async auditPage(limit: number, before?: string): Promise<{ id: string; json: string }[]> {
    const newestFirst = [...this.audit].reverse();
    const start = before === undefined ? 0 : newestFirst.findIndex((e) => e.id === before) + 1;
    return newestFirst.slice(start, start + limit).map(({ id, json }) => ({ id, json }));
  }

  async putDocument(kind: string, id: string, json: string): Promise<void> {
    const docs = this.documents.get(kind) ?? new Map<string, string>();
    docs.set(id, json);
    this.documents.set(kind, docs);
  }

  async getDocument(kind: string, id: string): Promise<string | undefined> {
    return this.documents.get(kind)?.get(id);
  }

  async getDocuments(kind: string): Promise<{ id: string; json: string }[]> {
    return [...(this.documents.get(kind) ?? new Map<string, string>())].map(([id, json]) => ({ id, json })).sort((a, b) => a.id.localeCompare(b.id));
  }

  async appendHistory(slot: string, at: number, json: string, retentionMs: number): Promise<boolean> {
    if (this.historySlots.has(slot)) return false;
    this.historySlots.set(slot, at);
    this.history.push({ at, json });
    this.history.sort((a, b) => a.at - b.at);
    const cutoff = at - retentionMs;
    this.history = this.history.filter((p) => p.at >= cutoff);
    for (const [s, t] of this.historySlots) if (t < cutoff) this.historySlots.delete(s);
    return true;
  }

  async historySince(since: number): Promise<{ at: number; json: string }[]> {
    return this.history.filter((p) => p.at >= since);
  }

  private readonly terminalRegistrations = new Map<string, StoredTerminalRegistration>();

  async claimTerminalRegistration(registration: StoredTerminalRegistration): Promise<boolean> {
    if (this.terminalRegistrations.has(registration.phone)) return false;
    this.terminalRegistrations.set(registration.phone, { ...registration });
    return true;
  }

  async getTerminalRegistration(phone: string): Promise<StoredTerminalRegistration | undefined> {
    const found = this.terminalRegistrations.get(phone);
    return found && { ...found };
  }

  async clearTerminalRegistration(phone: string): Promise<boolean> {
    return this.terminalRegistrations.delete(phone);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
