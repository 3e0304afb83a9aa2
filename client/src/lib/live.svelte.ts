// The live state: a socket.io connection to /live that applies the server's snapshot,
// then its deltas in exact seq order. On a gap it asks for a resync and ignores deltas
// until the next snapshot. On reconnecting it names the last seq it applied, and the
// server replays just what was missed (or sends a snapshot when it no longer can). Components read `versions[collection]` to react to changes;
// the collections themselves are plain objects mutated by the shared reducer.
import { io, type Socket } from 'socket.io-client';
import { applyDelta, emptyCollections, type CollectionName, type LiveCollections } from '../../../server/schema/live.ts';
import type { Delta, LiveClientEvents, LiveServerEvents, Replay, Snapshot, StaticChanged, StoreStatus, Subscription } from '../../../server/schema/index.ts';
import { judgeDelta } from './live-sequence.ts';
import type { FreshnessInputs } from './freshness.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';
type Versions = Record<CollectionName, number>;

const zeroVersions = (): Versions => ({
  gridStatus: 0,
  samplingPoints: 0,
  hotels: 0,
  hospitals: 0,
  ambulances: 0,
  transfers: 0,
  sampleBatches: 0,
  testingRounds: 0,
  roundGrids: 0,
  alerts: 0,
  moveTasks: 0,
});

export interface LiveOptions {
  token: string;
  /** Only these layers and this area (a field tablet's town); absent for the whole county. */
  subscribe?: Subscription;
  /** The server refused the token: the session is over. */
  onUnauthorized: () => void;
}

export class LiveState {
  /** Bumped per collection whenever a snapshot or delta touches it. */
  versions = $state<Versions>(zeroVersions());
  seq = $state(0);
  status = $state<ConnectionStatus>('connecting');
  /** A snapshot has been applied and no gap is pending. */
  inSync = $state(false);
  /** Time (client clock) of the last snapshot or delta. */
  lastMessageAt = $state<number | null>(null);
  /** Time of the last sign of life from the server: a message or a socket.io ping. */
  lastHeardAt = $state<number | null>(null);
  /** How many gaps triggered a resync; for the browser test and diagnostics. */
  resyncs = $state(0);
  /** How many reconnections were served by a replay instead of a snapshot. */
  replays = $state(0);
  /** Whether the server reaches its store: while it does not, nothing here is live. */
  store = $state<StoreStatus>({ reachable: true, since: 0 });

  #collections: LiveCollections = emptyCollections();
  /** A snapshot has been applied at least once: a reconnection may resume from `seq`. */
  #hasState = false;
  /** The store's epoch the state came from: a resume names it. */
  #epoch: string | undefined;
  #subscribe: Subscription | undefined;
  #socket: Socket<LiveServerEvents, LiveClientEvents>;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #resyncTimer: ReturnType<typeof setInterval> | undefined;

  constructor(opts: LiveOptions) {
    this.#subscribe = opts.subscribe;
    // auth as a function: read at every (re)connection, so it carries the seq reached by then.
    this.#socket = io('/live', {
      auth: (cb) =>
        cb({
          token: opts.token,
          ...(this.#hasState ? { lastSeq: this.seq, ...(this.#epoch ? { epoch: this.#epoch } : {}) } : {}),
          ...(this.#subscribe ? { subscribe: this.#subscribe } : {}),
        }),
    });
    const s = this.#socket;
    s.on('connect', () => (this.status = 'connected'));
    s.on('disconnect', (reason) => {
      this.status = 'disconnected';
      this.inSync = false;
      // A server-side disconnect is not retried by socket.io itself; a wall must heal on its own.
      if (reason === 'io server disconnect') this.#reconnectSoon();
    });
    s.on('connect_error', (err) => {
      if (err.message === 'unauthorized') {
        opts.onUnauthorized();
        return;
      }
      this.status = 'disconnected';
      if (!s.active) this.#reconnectSoon();
    });
    s.io.on('ping', () => (this.lastHeardAt = Date.now()));
    s.on('heartbeat', () => (this.lastHeardAt = Date.now()));
    s.on('snapshot', (snap) => this.#applySnapshot(snap));
    s.on('replay', (replay) => this.#applyReplay(replay));
    s.on('delta', (delta) => this.#applyDelta(delta));
    s.on('store', (status) => (this.store = status));
    // The process is shutting down: reconnect soon (a random moment, so a whole wall of
    // screens does not arrive at once); the load balancer sends us to another process.
    s.on('draining', () => {
      s.disconnect();
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => s.connect(), 200 + Math.random() * 800);
    });
  }

  /** What the freshness rule needs, as of `now`. */
  freshnessInputs(now: number): FreshnessInputs {
    return { connected: this.status === 'connected', inSync: this.inSync, lastHeardAt: this.lastHeardAt, storeReachable: this.store.reachable, now };
  }

  /**
   * Receive another part of the state from now on (another town, other layers; null for
   * everything): the server answers with a snapshot of the new view.
   */
  resubscribe(subscription: Subscription | null): void {
    this.#subscribe = subscription ?? undefined;
    this.inSync = false;
    this.#socket.emit('subscribe', subscription);
  }

  /** The server's grids were replaced by an import (`static-changed`): the listener reloads them. */
  onStaticChanged(listener: (event: StaticChanged) => void): () => void {
    this.#socket.on('static-changed', listener);
    return () => void this.#socket.off('static-changed', listener);
  }

  /** The current entities; read `versions` first inside reactive code to depend on them. */
  get collections(): LiveCollections {
    return this.#collections;
  }

  close(): void {
    clearTimeout(this.#retry);
    clearInterval(this.#resyncTimer);
    this.#socket.removeAllListeners();
    this.#socket.io.removeAllListeners();
    this.#socket.disconnect();
  }

  #reconnectSoon(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#socket.connect(), 2000);
  }

  #heard(): void {
    const now = Date.now();
    this.lastMessageAt = now;
    this.lastHeardAt = now;
  }

  #applySnapshot(snap: Snapshot): void {
    clearInterval(this.#resyncTimer);
    this.#collections = snap.collections;
    this.seq = snap.seq;
    if (snap.epoch) this.#epoch = snap.epoch;
    this.inSync = true;
    this.#hasState = true;
    const next = zeroVersions();
    for (const name of Object.keys(next) as CollectionName[]) next[name] = this.versions[name] + 1;
    this.versions = next;
    this.#heard();
  }

  #applyReplay(replay: Replay): void {
    if (!this.#hasState || replay.after !== this.seq) {
      this.#resync();
      return;
    }
    this.replays += 1;
    this.inSync = true;
    if (replay.epoch) this.#epoch = replay.epoch;
    for (const delta of replay.deltas) {
      this.#applyDelta(delta);
      if (!this.inSync) return; // a gap: the resync's snapshot takes over
    }
    this.#heard();
  }

  #applyDelta(delta: Delta): void {
    if (!this.inSync) return; // waiting for a snapshot; it will include this change
    const verdict = judgeDelta(this.seq, delta.seq, delta.from);
    if (verdict === 'stale') return;
    if (verdict === 'gap') this.#resync();
    else this.#apply(delta);
  }

  /** Asks for a snapshot, and asks again every 5 s until one arrives (a request can be lost). */
  #resync(): void {
    this.inSync = false;
    this.resyncs += 1;
    this.#socket.emit('resync');
    clearInterval(this.#resyncTimer);
    this.#resyncTimer = setInterval(() => {
      if (this.#socket.connected) this.#socket.emit('resync');
    }, 5000);
  }

  #apply(delta: Delta): void {
    applyDelta(this.#collections, delta);
    this.seq = delta.seq;
    for (const c of delta.changes) this.versions[c.collection] += 1;
    if (delta.moves?.length) this.versions.ambulances += 1;
    this.#heard();
  }
}
