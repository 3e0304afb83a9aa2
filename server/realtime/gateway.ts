// Fans the store's deltas out to connected screens. Each client first gets a
// snapshot, or, when it resumes from a seq the event log still holds, a replay
// of exactly the deltas it missed. Deltas that arrive meanwhile are held and
// sent after it (those already covered are dropped), so a client sees every
// seq exactly once and in order. Live deltas go out in frames at a rate that
// fits the screen (coalesce.ts keeps every state change, only the latest move).
//
// Screens that want the same thing at the same rate (every wall; every tablet of
// one town) form a class once live: the class filters each delta once, keeps one
// frame, and sends it, encoded once, to all its members whose seq is where the
// class's last frame left them; a member that is elsewhere (it just joined) gets
// the same frame re-ranged to start after its own seq. Joining, resuming and
// resyncing screens are served one by one until they are live, but the snapshots
// asked for in one turn of the event loop go out together: one payload per view,
// encoded once (a reconnect storm after a restart must not hold a copy per screen).
import type { Change, Delta, LiveClientEvents, LiveServerEvents, Snapshot, SnapshotReason } from '../schema/index.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import type { Socket } from 'socket.io';
import type { Role } from '../schema/index.ts';
import { coalesce } from './coalesce.ts';
import { isMove, markMoves, toWire } from './moves.ts';
import { roleView } from '../domain/privacy.ts';
import { LiveReplica } from './replica.ts';
import { ClientView, type Subscription } from './subscription.ts';
import { Subscription as SubscriptionSchema } from '../schema/index.ts';

/** Events a screen may send per second (it sends one resync per gap, one subscribe per town change). */
export const EVENTS_PER_SECOND = 10;

export interface LiveSocketData {
  session: StoredSession;
  /** From the handshake: resume after this seq… */
  lastSeq?: number;
  /** …of this epoch. */
  epoch?: string;
  /** From the handshake: only these layers and this area. */
  subscription?: Subscription;
}
export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>;

/** A change that is not movement alone. */
const isState = (change: Change) => !isMove(change);

/** What is framed: a screen served on its own, or a class of them. */
interface Framed {
  /** Milliseconds between frames; 0 sends every delta at once. */
  frameMs: number;
  frameTimer: ReturnType<typeof setTimeout> | null;
  /** When the pending frame timer fires (performance.now()). */
  frameDueAt: number;
  /** When the last frame went out (performance.now()). */
  lastFrameAt: number;
}

interface Client extends Framed {
  socket: LiveSocket;
  /** Deltas held while a snapshot is on its way; null once the client is live. */
  pending: Delta[] | null;
  /** Messages emitted since the connection last drained its write buffer. */
  unflushed: number;
  /** Deltas waiting for the next frame (already filtered; maybe empty). */
  frame: Delta[];
  /** What the screen subscribed to; null for everything. */
  view: ClientView | null;
  /** The seq the screen will be at once it applies what was sent (snapshot, replay, frames). */
  sentSeq: number;
  /** It changed its subscription (or the store came back) while a snapshot was on its way: send another after. */
  resubscribed: boolean;
  /** Events it sent in the current second (resync, subscribe): a flood is cut off. */
  events: { second: number; count: number };
  /** What it subscribed to (null: everything), and the class it is in once live. */
  subscription: Subscription | null;
  cls: ScreenClass | null;
}

/** Screens with the same subscription and frame rate, served together. */
interface ScreenClass extends Framed {
  key: string;
  /** The class's one view (null: everything): which entities its members hold. */
  view: ClientView | null;
  members: Set<Client>;
  frame: Delta[];
  /** The seq the class's last frame ended at: members there can share the next one. */
  lastSentSeq: number;
}

export interface GatewayOptions {
  /**
   * Messages a client may leave unflushed before it is cut off. A stalled client
   * would otherwise grow the server's memory without bound; cut off, it reconnects
   * and resumes from its last seq.
   */
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
  /**
   * Serve every screen on its own, with no classes, one message per change and
   * every vehicle whole (the naive fan-out, for bench:live's baseline only).
   */
  naive?: boolean;
}

/** The delta as covering `from` … seq (no `from` when it is seq alone); itself when it already says so. */
function ranged(delta: Delta, from: number): Delta {
  if ((delta.from ?? delta.seq) === from && (from !== delta.seq || delta.from === undefined)) return delta;
  const out: Delta = from === delta.seq ? { seq: delta.seq, at: delta.at, changes: delta.changes } : { from, seq: delta.seq, at: delta.at, changes: delta.changes };
  if (delta.moves) out.moves = delta.moves;
  return out;
}

export class LiveGateway {
  private readonly clients = new Map<string, Client>();
  private readonly classes = new Map<string, ScreenClass>();
  /** Clients cut off for not reading; a figure for /metrics later. */
  slowClientsDropped = 0;
  /** Bytes of packets written to screens (socket.io's encoding, as engine.io sends them). */
  bytesSent = 0;
  /** Delta messages sent (each recipient counts), snapshots sent (and payloads encoded for them), replays sent, resyncs asked for. */
  readonly counts = { messages: 0, snapshots: 0, snapshotPayloads: 0, replays: 0, resyncs: 0, flooded: 0 };

  private readonly replica: LiveReplica;
  /** Snapshots asked for since the last turn of the event loop, sent together (flushSnapshots). */
  private snapshotQueue: { client: Client; reason: SnapshotReason }[] = [];
  /** The store's epoch, read once at start. */
  private epoch = '';

  constructor(
    private readonly store: LiveStore,
    private readonly options: GatewayOptions,
  ) {
    this.replica = new LiveReplica(store, options.onError);
  }

  /** The seq this process has reached (its replica's), for the heartbeat. */
  get seq(): number {
    return this.replica.appliedSeq;
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
      this.leave(client);
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

  /** Called with every delta from the store, in seq order. */
  broadcast(delta: Delta): void {
    // Against the replica as it stands just before this delta: which vehicles only moved.
    if (!this.options.naive) markMoves(delta, (id) => this.replica.ambulanceBefore(delta.seq, id));
    this.replica.apply(delta);
    for (const cls of this.classes.values()) {
      const part = cls.view ? { ...delta, changes: cls.view.filter(delta.changes) } : delta;
      this.sendClass(cls, part);
    }
    for (const client of this.clients.values()) {
      if (client.cls) continue;
      if (client.pending) client.pending.push(delta);
      else this.send(client, delta);
    }
  }

  get classCount(): number {
    return this.classes.size;
  }

  /** A live screen joins its class (made, with a view of the current state, if it is the first). */
  private join(client: Client): void {
    if (client.cls || client.pending || this.options.naive) return;
    const key = this.classKey(client);
    let cls = this.classes.get(key);
    if (!cls) {
      const current = this.replica.current(Date.now());
      // Until the replica has loaded there is no state to start a class's view from.
      if (!current) return;
      const view = this.options.viewFor(client.subscription, client.socket.data.session.role);
      view?.reset(current.collections);
      cls = { key, frameMs: client.frameMs, view, members: new Set(), frame: [], frameTimer: null, frameDueAt: 0, lastFrameAt: -Infinity, lastSentSeq: current.seq };
      this.classes.set(key, cls);
    }
    // What it is owed on its own goes out now; the class takes over from here.
    if (client.frameTimer) clearTimeout(client.frameTimer);
    this.flushFrame(client);
    if (!this.clients.has(client.socket.id)) return;
    cls.members.add(client);
    client.cls = cls;
    // The class's view serves it now; its own is reset by its next snapshot.
    client.view?.forget();
  }

  /** Screens with the same key hold the same: same subscription, same redaction, same frames. */
  private classKey(client: Client): string {
    // Screens of different views (server/domain/privacy.ts: the wall, field tablets, the rest) never share a frame.
    return `${client.frameMs}|${roleView(client.socket.data.session.role)}|${JSON.stringify(client.subscription)}`;
  }

  private leave(client: Client): void {
    const cls = client.cls;
    if (!cls) return;
    cls.members.delete(client);
    client.cls = null;
    if (cls.members.size === 0) {
      if (cls.frameTimer) clearTimeout(cls.frameTimer);
      this.classes.delete(cls.key);
    }
  }

  private sendClass(cls: ScreenClass, part: Delta): void {
    if (cls.frameMs === 0) {
      if (part.changes.length > 0) this.emitClass(cls, coalesce([part]));
      return;
    }
    if (part.changes.length === 0) return;
    cls.frame.push(part);
    this.schedule(cls, () => this.flushClass(cls), part.changes.some(isState));
  }

  /**
   * When the next frame goes: a frame interval after the last one, so a busy
   * stream goes out once per interval and a change after a quiet spell at once;
   * within `stateMs` when it holds a state change (not movement), so a tablet on
   * one frame a second still sees a queue count or an alert at once.
   */
  private schedule(f: Framed, flush: () => void, state: boolean): void {
    const now = performance.now();
    const regular = f.lastFrameAt + f.frameMs;
    const due = state ? Math.min(regular, now + this.options.stateMs) : regular;
    if (f.frameTimer) {
      if (due >= f.frameDueAt) return;
      clearTimeout(f.frameTimer);
      f.frameTimer = null;
    }
    if (due <= now) return flush();
    f.frameDueAt = due;
    f.frameTimer = setTimeout(flush, due - now);
  }

  private flushClass(cls: ScreenClass): void {
    cls.frameTimer = null;
    const frame = cls.frame;
    cls.frame = [];
    if (frame.length === 0 || !this.classes.has(cls.key)) return;
    cls.lastFrameAt = performance.now();
    this.emitClass(cls, coalesce(frame));
  }

  /** One (coalesced) frame to every member: shared by those where the last one left them, re-ranged for the rest. */
  private emitClass(cls: ScreenClass, frame: Delta): void {
    const delta = toWire(frame);
    const shared: string[] = [];
    for (const member of cls.members) {
      if (delta.seq <= member.sentSeq) continue;
      if (member.sentSeq === cls.lastSentSeq) {
        if (this.overLimit(member)) continue;
        member.sentSeq = delta.seq;
        shared.push(member.socket.id);
      } else {
        this.emitDelta(member, delta);
      }
    }
    const from = cls.lastSentSeq + 1;
    cls.lastSentSeq = delta.seq;
    if (shared.length === 0) return;
    const out = ranged(delta, from);
    this.counts.messages += shared.length;
    this.options.emitTo(shared, out);
  }

  /** This screen's part of a delta: the delta itself when it subscribed to everything. */
  private viewOf(client: Client, delta: Delta): Delta {
    return client.view ? { ...delta, changes: client.view.filter(delta.changes) } : delta;
  }

  private send(client: Client, delta: Delta): void {
    const mine = this.viewOf(client, delta);
    if (this.options.naive) return this.emitEachChange(client, mine);
    if (client.frameMs === 0) {
      if (mine.changes.length > 0) this.emitDelta(client, coalesce([mine]));
      return;
    }
    client.frame.push(mine);
    this.schedule(client, () => this.flushFrame(client), mine.changes.some(isState));
  }

  private flushFrame(client: Client): void {
    client.frameTimer = null;
    // Deltas with nothing for this screen send nothing; the next frame's range covers them.
    const frame = client.frame.filter((d) => d.changes.length > 0);
    client.frame = [];
    if (frame.length === 0 || !this.clients.has(client.socket.id)) return;
    client.lastFrameAt = performance.now();
    this.emitDelta(client, coalesce(frame));
  }

  private dropFrame(client: Client): void {
    if (client.frameTimer) clearTimeout(client.frameTimer);
    client.frameTimer = null;
    client.frame = [];
  }

  /** Sends a (coalesced) delta or frame, its range starting right after what the screen has. */
  private emitDelta(client: Client, frame: Delta): void {
    // Never twice: a delta the screen already has (its snapshot or replay covered it) is dropped.
    if (frame.seq <= client.sentSeq) return;
    if (this.overLimit(client)) return;
    const delta = toWire(frame);
    const from = client.sentSeq + 1;
    client.sentSeq = delta.seq;
    this.counts.messages++;
    client.socket.emit('delta', ranged(delta, from));
  }

  /**
   * The naive fan-out bench:live measures the board against: one message per
   * change, each whole, under its delta's seq (so a screen would keep only the
   * first of a delta's changes: for the benchmark alone).
   */
  private emitEachChange(client: Client, delta: Delta): void {
    if (delta.seq <= client.sentSeq) return;
    for (const change of delta.changes) {
      if (this.overLimit(client)) return;
      this.counts.messages++;
      client.socket.emit('delta', { seq: delta.seq, at: delta.at, changes: [change] });
    }
    client.sentSeq = delta.seq;
  }

  /** A frame shared by a class is one string written to each member: measured once. */
  private lastPacket: { data: string; bytes: number } = { data: '', bytes: 0 };

  private countBytes(data: unknown): void {
    if (typeof data === 'string') {
      if (data !== this.lastPacket.data) this.lastPacket = { data, bytes: Buffer.byteLength(data) };
      this.bytesSent += this.lastPacket.bytes;
    } else if (data instanceof Uint8Array) this.bytesSent += data.byteLength;
  }

  /** More than EVENTS_PER_SECOND events in one second: the screen is cut off (it may reconnect). */
  private flooding(client: Client): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (client.events.second !== second) client.events = { second, count: 0 };
    if (++client.events.count <= EVENTS_PER_SECOND) return false;
    this.counts.flooded++;
    this.options.onError('cut off a live client flooding events', { socketId: client.socket.id, username: client.socket.data.session.username });
    client.socket.disconnect(true);
    return true;
  }

  private mayServe(client: Client): boolean {
    return this.options.mayServe ? this.options.mayServe(client.socket) : true;
  }

  /** Counts one more message for the screen; cuts it off (true) when it has stopped reading. */
  private overLimit(client: Client): boolean {
    if (++client.unflushed <= this.options.slowClientLimit) return false;
    {
      this.dropFrame(client);
      this.leave(client);
      this.clients.delete(client.socket.id);
      this.slowClientsDropped += 1;
      this.options.onSlowClient({
        socketId: client.socket.id,
        username: client.socket.data.session.username,
        unflushed: client.unflushed,
      });
      client.socket.disconnect(true);
    }
    return true;
  }

  /**
   * A new connection; `lastSeq` when the client holds state up to it and wants to
   * resume; `view` when it subscribed to part of the state.
   */
  async add(socket: LiveSocket, lastSeq?: number, view: ClientView | null = null, epoch?: string): Promise<void> {
    // Live until resume/sendSnapshot (called at once, before any other event can run) starts holding deltas.
    const client: Client = {
      socket,
      pending: null,
      unflushed: 0,
      frameMs: this.options.frameMsFor(socket.data.session.role),
      frame: [],
      frameTimer: null,
      frameDueAt: 0,
      lastFrameAt: -Infinity,
      view,
      sentSeq: lastSeq ?? 0,
      resubscribed: false,
      events: { second: 0, count: 0 },
      subscription: socket.data.subscription ?? null,
      cls: null,
    };
    this.clients.set(socket.id, client);
    // engine.io emits 'drain' when the connection's write buffer has gone out to the network.
    socket.conn.on('drain', () => (client.unflushed = 0));
    socket.conn.on('packetCreate', (packet: { data?: unknown }) => this.countBytes(packet.data));
    socket.on('disconnect', () => {
      this.dropFrame(client);
      this.leave(client);
      this.clients.delete(socket.id);
    });
    socket.on('resync', () => {
      if (this.flooding(client) || !this.mayServe(client)) return;
      this.counts.resyncs++;
      this.leave(client);
      void this.sendSnapshot(client, 'resync');
    });
    socket.on('subscribe', (raw: unknown) => {
      if (this.flooding(client)) return;
      const parsed = SubscriptionSchema.nullable().safeParse(raw);
      if (!parsed.success || !this.mayServe(client)) return;
      this.leave(client);
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

  private async resume(client: Client, after: number): Promise<void> {
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

  private async sendSnapshot(client: Client, reason: SnapshotReason): Promise<void> {
    // A snapshot (or replay) already on its way answers this request too.
    if (client.pending) return;
    client.pending = [];
    // The snapshot covers whatever the next frame held.
    this.dropFrame(client);
    // From memory when the replica is ready: with the others asked for in this turn, encoded
    // once per view (a thousand screens reconnecting after a restart would otherwise hold a
    // thousand copies of the county in their write buffers at once). Else from the store.
    const ready = this.replica.current(Date.now());
    if (ready && !this.options.naive) {
      if (this.snapshotQueue.push({ client, reason }) === 1) setImmediate(() => this.flushSnapshots());
      return;
    }
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
   * The snapshots asked for in the last turn: one read of the replica, and per view (the
   * class key) and reason one payload, encoded once for all who asked. Deltas that came
   * in meanwhile were held (pending) and go out after it, as for a snapshot from the store.
   */
  private flushSnapshots(): void {
    const queue = this.snapshotQueue;
    this.snapshotQueue = [];
    const snapshot = this.replica.current(Date.now());
    const groups = new Map<string, { reason: SnapshotReason; clients: Client[] }>();
    for (const { client, reason } of queue) {
      if (!this.clients.has(client.socket.id) || !client.pending) continue;
      if (!snapshot) {
        // The replica began reloading since: each from the store, on its own.
        client.pending = null;
        void this.sendSnapshot(client, reason);
        continue;
      }
      const key = `${reason}|${this.classKey(client)}`;
      const group = groups.get(key) ?? { reason, clients: [] };
      group.clients.push(client);
      groups.set(key, group);
    }
    if (!snapshot) return;
    for (const { reason, clients } of groups.values()) this.deliverSnapshot(clients, snapshot, reason);
  }

  /**
   * One snapshot payload to screens with one view (the first one's view makes it, the
   * others take it as what they hold), encoded once; then each goes live.
   */
  private deliverSnapshot(clients: Client[], snapshot: Snapshot, reason: SnapshotReason): void {
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

  private failed(client: Client, message: string, err: unknown): void {
    this.options.onError(message, err);
    client.pending = null;
    client.socket.disconnect(true);
  }

  /** Sends the held deltas newer than what the client now has, and makes it live. */
  private release(client: Client, upTo: number): void {
    const held = client.pending ?? [];
    client.pending = null;
    for (const delta of held) if (delta.seq > upTo && this.clients.has(client.socket.id)) this.send(client, delta);
    // Live now: from here on its class serves it.
    if (this.clients.has(client.socket.id) && !client.resubscribed) this.join(client);
  }
}
