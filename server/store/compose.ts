// One store object out of its parts by concern: what the app sees (LiveStore) is the
// parts side by side, each member handed to the part that keeps it. memory-store.ts and
// redis-store.ts build the parts; nothing here knows which.
import type { Change, CollectionName, Delta, EntityOf, LiveCollections } from '../schema/index.ts';
import type { StoredTownSet, TownSetStore } from './town-set.ts';
import type { TerminalStore } from './terminal-store.ts';
import type {
  Accounts,
  AnyEntity,
  AuditLog,
  Claims,
  DeltaListener,
  Documents,
  EntityKey,
  GridAndRoadSets,
  HistoryLog,
  LiveState,
  LiveStore,
  RevokedListener,
  StoredGridSet,
  StoredRoadSet,
  StoredSession,
  StoredTerminalRegistration,
  StoredUser,
} from './store.ts';

export interface StoreParts {
  kind: 'redis' | 'memory';
  live: LiveState;
  accounts: Accounts;
  sets: GridAndRoadSets;
  towns: TownSetStore;
  history: HistoryLog;
  documents: Documents;
  audit: AuditLog;
  claims: Claims;
  terminals: TerminalStore;
  ping(): Promise<boolean>;
  /** Stops every part (listeners, readers) and closes what the store opened. */
  close(): Promise<void>;
}

type Update<C extends CollectionName> = (current: EntityOf<C> | undefined) => Change[] | null;

export class ComposedStore implements LiveStore {
  readonly kind: 'redis' | 'memory';
  readonly terminals: TerminalStore;

  constructor(protected readonly parts: StoreParts) {
    this.kind = parts.kind;
    this.terminals = parts.terminals;
  }

  // Live state.
  snapshot() {
    return this.parts.live.snapshot();
  }
  get<C extends CollectionName>(collection: C, id: string) {
    return this.parts.live.get(collection, id);
  }
  apply(changes: Change[], at: number) {
    return this.parts.live.apply(changes, at);
  }
  update<C extends CollectionName>(collection: C, id: string, update: Update<C>, at: number) {
    return this.parts.live.update(collection, id, update, at);
  }
  updateMany(keys: EntityKey[], update: (current: (AnyEntity | undefined)[]) => Change[] | null, at: number) {
    return this.parts.live.updateMany(keys, update, at);
  }
  updateOnce<C extends CollectionName>(once: { key: string; ttlMs: number }, collection: C, id: string, update: Update<C>, at: number) {
    return this.parts.live.updateOnce(once, collection, id, update, at);
  }
  epoch() {
    return this.parts.live.epoch();
  }
  seq() {
    return this.parts.live.seq();
  }
  deltasSince(after: number) {
    return this.parts.live.deltasSince(after);
  }
  subscribe(listener: DeltaListener, onReset?: () => void) {
    return this.parts.live.subscribe(listener, onReset);
  }
  ambulancesNear(lng: number, lat: number, radiusMeters: number) {
    return this.parts.live.ambulancesNear(lng, lat, radiusMeters);
  }

  // Accounts and sessions.
  getUser(username: string) {
    return this.parts.accounts.getUser(username);
  }
  putUser(user: StoredUser) {
    return this.parts.accounts.putUser(user);
  }
  addUser(user: StoredUser) {
    return this.parts.accounts.addUser(user);
  }
  countUsers() {
    return this.parts.accounts.countUsers();
  }
  listUsers() {
    return this.parts.accounts.listUsers();
  }
  updateUser(username: string, update: (current: StoredUser | undefined) => StoredUser | null) {
    return this.parts.accounts.updateUser(username, update);
  }
  putSession(session: StoredSession, now: number) {
    return this.parts.accounts.putSession(session, now);
  }
  getSession(token: string, now: number) {
    return this.parts.accounts.getSession(token, now);
  }
  deleteSession(token: string) {
    return this.parts.accounts.deleteSession(token);
  }
  revokeSessions(username: string, now: number) {
    return this.parts.accounts.revokeSessions(username, now);
  }
  onRevoked(listener: RevokedListener) {
    return this.parts.accounts.onRevoked(listener);
  }

  // Grid, road and town sets.
  getGridSet() {
    return this.parts.sets.getGridSet();
  }
  gridSetVersion() {
    return this.parts.sets.gridSetVersion();
  }
  commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    return this.parts.sets.commitGridSet(set, changesFor, at);
  }
  onGridSet(listener: (version: string) => void) {
    return this.parts.sets.onGridSet(listener);
  }
  getRoadSet() {
    return this.parts.sets.getRoadSet();
  }
  roadSetVersion() {
    return this.parts.sets.roadSetVersion();
  }
  commitRoadSet(set: StoredRoadSet) {
    return this.parts.sets.commitRoadSet(set);
  }
  onRoadSet(listener: (version: string) => void) {
    return this.parts.sets.onRoadSet(listener);
  }
  getTownSet() {
    return this.parts.towns.getTownSet();
  }
  townSetVersion() {
    return this.parts.towns.townSetVersion();
  }
  commitTownSet(set: StoredTownSet) {
    return this.parts.towns.commitTownSet(set);
  }
  onTownSet(listener: (version: string) => void) {
    return this.parts.towns.onTownSet(listener);
  }

  // History, documents, audit.
  appendHistory(slot: string, at: number, json: string, retentionMs: number) {
    return this.parts.history.appendHistory(slot, at, json, retentionMs);
  }
  historySince(since: number) {
    return this.parts.history.historySince(since);
  }
  putDocument(kind: string, id: string, json: string) {
    return this.parts.documents.putDocument(kind, id, json);
  }
  getDocument(kind: string, id: string) {
    return this.parts.documents.getDocument(kind, id);
  }
  getDocuments(kind: string) {
    return this.parts.documents.getDocuments(kind);
  }
  appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number) {
    return this.parts.audit.appendAudit(json, at, retentionMs, maxEntries);
  }
  auditPage(limit: number, before?: string) {
    return this.parts.audit.auditPage(limit, before);
  }

  // Claims.
  claimOnce(name: string) {
    return this.parts.claims.claimOnce(name);
  }
  claimTerminalRegistration(registration: StoredTerminalRegistration) {
    return this.parts.claims.claimTerminalRegistration(registration);
  }
  getTerminalRegistration(phone: string) {
    return this.parts.claims.getTerminalRegistration(phone);
  }
  clearTerminalRegistration(phone: string) {
    return this.parts.claims.clearTerminalRegistration(phone);
  }

  ping() {
    return this.parts.ping();
  }
  close() {
    return this.parts.close();
  }
}
