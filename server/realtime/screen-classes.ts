// Screens that want the same thing at the same rate (every wall; every tablet of one town)
// form a class once live: the class filters each delta once, keeps one frame, and sends it,
// encoded once, to all its members whose seq is where the class's last frame left them; a
// member that is elsewhere (it just joined) gets the same frame re-ranged to start after its
// own seq.
import { roleView } from '../domain/privacy.ts';
import type { Delta, Role, Snapshot } from '../schema/index.ts';
import { coalesce, ranged } from './coalesce.ts';
import { FrameTimer, type FrameClock } from './frame-schedule.ts';
import type { LiveClient, ScreenClass } from './live-client.ts';
import { isState, toWire } from './moves.ts';
import type { ClientView, Subscription } from './subscription.ts';

/** Screens with the same key hold the same: same frame rate, same redaction, same subscription. */
export function classKey(client: LiveClient): string {
  // Screens of different views (server/domain/privacy.ts: the wall, field tablets, the rest) never share a frame.
  return `${client.frames.frameMs}|${roleView(client.socket.data.session.role)}|${JSON.stringify(client.subscription)}`;
}

/** What the classes need of the gateway. */
export interface ClassHost {
  clock: FrameClock;
  /** At most this long before a frame holding a state change goes out. */
  stateMs: number;
  /** The live state a new class's view starts from (null until the replica has loaded). */
  current(): Snapshot | null;
  viewFor(subscription: Subscription | null, role: Role): ClientView | null;
  /** Counts one more message for a member; true when that cut it off. */
  overLimit(client: LiveClient): boolean;
  /** Sends a member a frame on its own, re-ranged to start after its seq. */
  emitDelta(client: LiveClient, frame: Delta): void;
  /** Sends one message to many members, encoded once. */
  emitTo(clients: LiveClient[], delta: Delta): void;
}

export class ScreenClasses {
  private readonly classes = new Map<string, ScreenClass>();

  constructor(private readonly host: ClassHost) {}

  get size(): number {
    return this.classes.size;
  }

  /** The client's class, made (with a view of the current state) if it is the first; null while there is no state to start one from. */
  classFor(client: LiveClient): ScreenClass | null {
    const key = classKey(client);
    const existing = this.classes.get(key);
    if (existing) return existing;
    const current = this.host.current();
    if (!current) return null;
    const view = this.host.viewFor(client.subscription, client.socket.data.session.role);
    view?.reset(current.collections);
    const cls: ScreenClass = {
      key,
      frames: new FrameTimer(client.frames.frameMs, this.host.stateMs, this.host.clock, () => this.flush(cls)),
      view,
      members: new Set(),
      frame: [],
      lastSentSeq: current.seq,
    };
    this.classes.set(key, cls);
    return cls;
  }

  join(client: LiveClient, cls: ScreenClass): void {
    cls.members.add(client);
    client.cls = cls;
    // The class's view serves it now; its own is reset by its next snapshot.
    client.view?.forget();
  }

  leave(client: LiveClient): void {
    const cls = client.cls;
    if (!cls) return;
    cls.members.delete(client);
    client.cls = null;
    if (cls.members.size === 0) {
      cls.frames.cancel();
      this.classes.delete(cls.key);
    }
  }

  /** Every class's part of a delta, into its frame (or out at once for classes with no frames). */
  broadcast(delta: Delta): void {
    for (const cls of this.classes.values()) {
      const part = cls.view ? { ...delta, changes: cls.view.filter(delta.changes) } : delta;
      if (cls.frames.frameMs === 0) {
        if (part.changes.length > 0) this.emit(cls, coalesce([part]));
        continue;
      }
      if (part.changes.length === 0) continue;
      cls.frame.push(part);
      cls.frames.schedule(part.changes.some(isState));
    }
  }

  private flush(cls: ScreenClass): void {
    const frame = cls.frame;
    cls.frame = [];
    if (frame.length === 0 || !this.classes.has(cls.key)) return;
    cls.frames.sent();
    this.emit(cls, coalesce(frame));
  }

  /** One (coalesced) frame to every member: shared by those where the last one left them, re-ranged for the rest. */
  private emit(cls: ScreenClass, frame: Delta): void {
    const delta = toWire(frame);
    const shared: LiveClient[] = [];
    for (const member of cls.members) {
      if (delta.seq <= member.sentSeq) continue;
      if (member.sentSeq === cls.lastSentSeq) {
        if (this.host.overLimit(member)) continue;
        member.sentSeq = delta.seq;
        shared.push(member);
      } else {
        this.host.emitDelta(member, delta);
      }
    }
    const from = cls.lastSentSeq + 1;
    cls.lastSentSeq = delta.seq;
    if (shared.length > 0) this.host.emitTo(shared, ranged(delta, from));
  }
}
