// Fans the store's deltas out to connected screens. Each client first gets a
// snapshot, or, when it resumes from a seq the event log still holds, a replay
// of exactly the deltas it missed. Deltas that arrive meanwhile are held and
// sent after it (those already covered are dropped), so a client sees every
// seq exactly once and in order. Live deltas go out in frames at a rate that
// fits the screen (frame-schedule.ts says when; coalesce.ts keeps every state
// change, only the latest move).
//
// The parts: screens served alike form classes once live (screen-classes.ts);
// joining, resuming and resyncing screens are served one by one until they are
// live, but the snapshots asked for in one turn go out together (snapshot-batch.ts);
// a screen that floods events or stops reading is cut off (client-guards.ts).
// 300-line rule: what stays here (about 400 lines) is one state machine, a screen's way from
// connecting through a snapshot or replay to live and back, kept in one place.
import type { Delta, Snapshot, SnapshotReason } from '../schema/index.ts';
import { Subscription as SubscriptionSchema, type Role } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import { BytesSent, EventBudget, WriteBacklog } from './client-guards.ts';
import { coalesce, ranged } from './coalesce.ts';
import { FrameTimer, monotonicClock, type FrameClock } from './frame-schedule.ts';
import type { LiveClient, LiveSocket } from './live-client.ts';
import { isState, markMoves, toWire } from './moves.ts';
import { LiveReplica } from './replica.ts';
import { classKey, ScreenClasses } from './screen-classes.ts';
import { SnapshotBatch } from './snapshot-batch.ts';
import type { ClientView, Subscription } from './subscription.ts';

export type { LiveClient, LiveSocket, LiveSocketData } from './live-client.ts';

export interface GatewayOptions {
  /** Messages a client may leave unflushed before it is cut off (client-guards.ts: WriteBacklog). */
  slowClientLimit: number;
  /** Frame interval for a screen signed in with this role (0: every delta at once). */
  frameMsFor: (role: Role) => number;
  /** At most this long before a frame holding a state change (not movement) goes out. */
  stateMs: number;
  onError: (message: string, err: unknown) => void;
  onSlowClient: (info: { socketId: string; username: string; unflushed: number }) => void;
  /**
   * Whether a screen may be served the snapshot it asks for (a resync or a subscribe); when
   * not, the hook has told it why and nothing is sent. Absent: always.
   */
  mayServe?: (socket: LiveSocket) => boolean;
  /** The view for a subscription (null: everything). */
  viewFor: (subscription: Subscription | null, role: Role) => ClientView | null;
  /** Sends one message to many sockets of the namespace, encoded once. */
  emitTo: (socketIds: string[], delta: Delta) => void;
  /** The same for a snapshot. */
  emitSnapshotTo: (socketIds: string[], snapshot: Snapshot) => void;
  /** The frames' clock and timers (tests give their own). */
  clock?: FrameClock;
}

/** A gateway class (bench:live's naive baseline is another: scripts/bench-live/naive-gateway.ts). */
export type LiveGatewayClass = new (store: LiveStore, options: GatewayOptions) => LiveGateway;

export class LiveGateway {
  private readonly clients = new Map<string, LiveClient>();
  /** Clients cut off for not reading; a figure for /metrics. */
  slowClientsDropped = 0;
  private readonly bytes = new BytesSent();
  /** Delta messages sent (each recipient counts), snapshots sent (and payloads encoded for them), replays sent, resyncs asked for. */
  readonly counts = { messages: 0, snapshots: 0, snapshotPayloads: 0, replays: 0, resyncs: 0, flooded: 0 };

  private readonly replica: LiveReplica;
  private readonly clock: FrameClock;
  private readonly classes: ScreenClasses;
  private readonly snapshots: SnapshotBatch<LiveClient>;
  /** Snapshots from memory go out batched; the naive baseline serves each on its own. */
  protected readonly batchesSnapshots: boolean = true;
  /** The store's epoch, read once at start. */
  private epoch = '';

  constructor(
    private readonly store: LiveStore,
    private readonly options: GatewayOptions,
  ) {
    this.replica = new LiveReplica(store, options.onError);
    this.clock = options.clock ?? monotonicClock;
    this.classes = new ScreenClasses({
      clock: this.clock,
      stateMs: options.stateMs,
      current: () => this.replica.current(Date.now()),
      viewFor: options.viewFor,
      overLimit: (client) => this.overLimit(client),
      emitDelta: (client, frame) => this.emitDelta(client, frame),
      emitTo: (clients, delta) => {
        this.counts.messages += clients.length;
        options.emitTo(
          clients.map((c) => c.socket.id),
          delta,
        );
      },
    });
    this.snapshots = new SnapshotBatch<LiveClient>({
      current: () => this.replica.current(Date.now()),
      waiting: (client) => this.clients.has(client.socket.id) && client.pending !== null,
      keyOf: classKey,
      alone: (client, reason) => {
        client.pending = null;
        void this.sendSnapshot(client, reason);
      },
      deliver: (clients, snapshot, reason) => this.deliverSnapshot(clients, snapshot, reason),
    });
  }

  /** The seq this process has reached (its replica's), for the heartbeat. */
  get seq(): number {
    return this.replica.appliedSeq;
  }

  /** Bytes of packets written to screens (socket.io's encoding, as engine.io sends them). */
  get bytesSent(): number {
    return this.bytes.total;
  }

  /** Loads the in-memory replica; call once the gateway receives the store's deltas. */
  async start(): Promise<void> {
    this.epoch = await this.store.epoch();
    await this.replica.load();
  }

  /**
   * The store is back after an outage. It may have lost its last writes (a
   * restart) or been wiped (a new epoch), so nothing held is trusted: the replica
   * reloads and every screen gets a fresh snapshot (reason 'store-recovered').
   */
  async recover(): Promise<void> {
    this.epoch = await this.store.epoch();
    await this.replica.load();
    for (const client of this.clients.values()) {
      this.classes.leave(client);
      // One already on its way may predate the outage: another follows it.
      if (client.pending) client.resubscribed = true;
      else void this.sendSnapshot(client, 'store-recovered');
    }
  }

  /** Connected screens by the role they signed in with. */
  clientsByRole(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.clients.values()) out[c.socket.data.session.role] = (out[c.socket.data.session.role] ?? 0) + 1;
    return out;
  }

  /** The live state as this process holds it (null until loaded). */
  current() {
    return this.replica.current(Date.now());
  }

  get size(): number {
    return this.clients.size;
  }

  get classCount(): number {
    return this.classes.size;
  }

  /** Called with every delta from the store, in seq order. */
  broadcast(delta: Delta): void {
    this.markMoves(delta);
    this.replica.apply(delta);
    this.classes.broadcast(delta);
    for (const client of this.clients.values()) {
      if (client.cls) continue;
      if (client.pending) client.pending.push(delta);
      else this.send(client, delta);
    }
  }

  /** Against the replica as it stands just before this delta: which vehicles only moved. */
  protected markMoves(delta: Delta): void {
    markMoves(delta, (id) => this.replica.ambulanceBefore(delta.seq, id));
  }

  /** A live screen joins its class (made, with a view of the current state, if it is the first). */
  protected join(client: LiveClient): void {
    if (client.cls || client.pending) return;
    const cls = this.classes.classFor(client);
    // Until the replica has loaded there is no state to start a class's view from.
    if (!cls) return;
    // What it is owed on its own goes out now; the class takes over from here.
    client.frames.cancel();
    this.flushFrame(client);
    if (!this.clients.has(client.socket.id)) return;
    this.classes.join(client, cls);
  }

  /** This screen's part of a delta: the delta itself when it subscribed to everything. */
  protected viewOf(client: LiveClient, delta: Delta): Delta {
    return client.view ? { ...delta, changes: client.view.filter(delta.changes) } : delta;
  }

  /** A delta to a screen served on its own: into its frame, or out at once when it has no frames. */
  protected send(client: LiveClient, delta: Delta): void {
    const mine = this.viewOf(client, delta);
    if (client.frames.frameMs === 0) {
      if (mine.changes.length > 0) this.emitDelta(client, coalesce([mine]));
      return;
    }
    client.frame.push(mine);
    client.frames.schedule(mine.changes.some(isState));
  }

  private flushFrame(client: LiveClient): void {
    // Deltas with nothing for this screen send nothing; the next frame's range covers them.
    const frame = client.frame.filter((d) => d.changes.length > 0);
    client.frame = [];
    if (frame.length === 0 || !this.clients.has(client.socket.id)) return;
    client.frames.sent();
    this.emitDelta(client, coalesce(frame));
  }

  private dropFrame(client: LiveClient): void {
    client.frames.cancel();
    client.frame = [];
  }

  /** Sends a (coalesced) delta or frame, its range starting right after what the screen has. */
  private emitDelta(client: LiveClient, frame: Delta): void {
    // Never twice: a delta the screen already has (its snapshot or replay covered it) is dropped.
    if (frame.seq <= client.sentSeq) return;
    if (this.overLimit(client)) return;
    const delta = toWire(frame);
    const from = client.sentSeq + 1;
    client.sentSeq = delta.seq;
    this.counts.messages++;
    client.socket.emit('delta', ranged(delta, from));
  }

  /** More than EVENTS_PER_SECOND events in one second: the screen is cut off (it may reconnect). */
  private flooding(client: LiveClient): boolean {
    if (!client.events.spend(Date.now())) return false;
    this.counts.flooded++;
    this.options.onError('cut off a live client flooding events', { socketId: client.socket.id, username: client.socket.data.session.username });
    client.socket.disconnect(true);
    return true;
  }

  private mayServe(client: LiveClient): boolean {
    return this.options.mayServe ? this.options.mayServe(client.socket) : true;
  }

  /** Counts one more message for the screen; cuts it off (true) when it has stopped reading. */
  protected overLimit(client: LiveClient): boolean {
    if (!client.backlog.add()) return false;
    this.dropFrame(client);
    this.classes.leave(client);
    this.clients.delete(client.socket.id);
    this.slowClientsDropped += 1;
    this.options.onSlowClient({
      socketId: client.socket.id,
      username: client.socket.data.session.username,
      unflushed: client.backlog.unflushed,
    });
    client.socket.disconnect(true);
    return true;
  }

  /**
   * A new connection; `lastSeq` when the client holds state up to it and wants to
   * resume; `view` when it subscribed to part of the state.
   */
  async add(socket: LiveSocket, lastSeq?: number, view: ClientView | null = null, epoch?: string): Promise<void> {
    // Live until resume/sendSnapshot (called at once, before any other event can run) starts holding deltas.
    const client: LiveClient = {
      socket,
      pending: null,
      backlog: new WriteBacklog(this.options.slowClientLimit),
      frames: new FrameTimer(this.options.frameMsFor(socket.data.session.role), this.options.stateMs, this.clock, () => this.flushFrame(client)),
      frame: [],
      view,
      sentSeq: lastSeq ?? 0,
      resubscribed: false,
      events: new EventBudget(),
      subscription: socket.data.subscription ?? null,
      cls: null,
    };
    this.clients.set(socket.id, client);
    // engine.io emits 'drain' when the connection's write buffer has gone out to the network.
    socket.conn.on('drain', () => client.backlog.drained());
    socket.conn.on('packetCreate', (packet: { data?: unknown }) => this.bytes.count(packet.data));
    socket.on('disconnect', () => {
      this.dropFrame(client);
      this.classes.leave(client);
      this.clients.delete(socket.id);
    });
    socket.on('resync', () => {
      if (this.flooding(client) || !this.mayServe(client)) return;
      this.counts.resyncs++;
      this.classes.leave(client);
      void this.sendSnapshot(client, 'resync');
    });
    socket.on('subscribe', (raw: unknown) => {
      if (this.flooding(client)) return;
      const parsed = SubscriptionSchema.nullable().safeParse(raw);
      if (!parsed.success || !this.mayServe(client)) return;
      this.classes.leave(client);
      client.subscription = parsed.data;
      client.view = this.options.viewFor(parsed.data, client.socket.data.session.role);
      // The next snapshot is of the new view; one already on its way is followed by another.
      if (client.pending) client.resubscribed = true;
      else void this.sendSnapshot(client, 'resubscribe');
    });
    // A seq from another epoch (a wiped and reseeded store) means nothing here: start afresh.
    if (lastSeq === undefined || (epoch !== undefined && epoch !== this.epoch)) {
      await this.sendSnapshot(client, lastSeq === undefined ? 'connect' : 'resume-unavailable');
    } else await this.resume(client, lastSeq);
  }

  private async resume(client: LiveClient, after: number): Promise<void> {
    client.pending = [];
    let deltas: Delta[] | null;
    try {
      // A seq beyond the store's own belongs to another timeline (a wiped store): start afresh.
      deltas = after > (await this.store.seq()) ? null : await this.store.deltasSince(after);
    } catch (err) {
      this.failed(client, 'replay for a client failed', err);
      return;
    }
    if (!deltas) {
      client.pending = null;
      await this.sendSnapshot(client, 'resume-unavailable');
      return;
    }
    // Each replayed delta starts right after the one before it that this screen got.
    const mine: Delta[] = [];
    let previous = after;
    for (const delta of deltas) {
      const part = this.viewOf(client, delta);
      if (part.changes.length === 0) continue;
      mine.push(previous + 1 === part.seq ? part : { ...part, from: previous + 1 });
      previous = part.seq;
    }
    client.sentSeq = previous;
    this.counts.replays++;
    client.socket.emit('replay', { after, deltas: mine, epoch: this.epoch });
    this.release(client, deltas.at(-1)?.seq ?? after);
    // Asked for while the replay was read (another view, or the store recovered from a failover):
    // a snapshot follows, else the screen would stay out of every class, live no more.
    if (client.resubscribed) {
      client.resubscribed = false;
      void this.sendSnapshot(client, 'resubscribe');
    }
  }

  private async sendSnapshot(client: LiveClient, reason: SnapshotReason): Promise<void> {
    // A snapshot (or replay) already on its way answers this request too.
    if (client.pending) return;
    client.pending = [];
    // The snapshot covers whatever the next frame held.
    this.dropFrame(client);
    // From memory when the replica is ready, with the others asked for in this turn
    // (snapshot-batch.ts); else from the store.
    const ready = this.replica.current(Date.now());
    if (ready && this.batchesSnapshots) return this.snapshots.add(client, reason);
    let snapshot = ready;
    if (!snapshot) {
      try {
        snapshot = await this.store.snapshot();
      } catch (err) {
        this.failed(client, 'snapshot for a client failed', err);
        return;
      }
    }
    this.deliverSnapshot([client], snapshot, reason);
  }

  /**
   * One snapshot payload to screens with one view (the first one's view makes it, the
   * others take it as what they hold), encoded once; then each goes live.
   */
  private deliverSnapshot(clients: LiveClient[], snapshot: Snapshot, reason: SnapshotReason): void {
    const [first, ...rest] = clients;
    const collections = first!.view ? first!.view.reset(snapshot.collections) : snapshot.collections;
    for (const client of rest) client.view?.assume(collections);
    for (const client of clients) client.sentSeq = snapshot.seq;
    this.counts.snapshots += clients.length;
    this.counts.snapshotPayloads++;
    this.options.emitSnapshotTo(
      clients.map((c) => c.socket.id),
      { seq: snapshot.seq, at: snapshot.at, collections, reason, epoch: this.epoch },
    );
    for (const client of clients) {
      this.release(client, snapshot.seq);
      if (client.resubscribed) {
        client.resubscribed = false;
        void this.sendSnapshot(client, 'resubscribe');
      }
    }
  }

  private failed(client: LiveClient, message: string, err: unknown): void {
    this.options.onError(message, err);
    client.pending = null;
    client.socket.disconnect(true);
  }

  /** Sends the held deltas newer than what the client now has, and makes it live. */
  private release(client: LiveClient, upTo: number): void {
    const held = client.pending ?? [];
    client.pending = null;
    for (const delta of held) if (delta.seq > upTo && this.clients.has(client.socket.id)) this.send(client, delta);
    // Live now: from here on its class serves it.
    if (this.clients.has(client.socket.id) && !client.resubscribed) this.join(client);
  }
}
