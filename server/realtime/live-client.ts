// What the gateway keeps per live screen, and per class of screens served together.
import type { Socket } from 'socket.io';
import type { Delta, LiveClientEvents, LiveServerEvents } from '../schema/index.ts';
import type { StoredSession } from '../store/store.ts';
import type { EventBudget, WriteBacklog } from './client-guards.ts';
import type { FrameTimer } from './frame-schedule.ts';
import type { ClientView, Subscription } from './subscription.ts';

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

export interface LiveClient {
  socket: LiveSocket;
  /** Deltas held while a snapshot is on its way; null once the client is live. */
  pending: Delta[] | null;
  /** Messages emitted since the connection last drained its write buffer. */
  backlog: WriteBacklog;
  /** When its own frames go (while it is served on its own). */
  frames: FrameTimer;
  /** Deltas waiting for the next frame (already filtered; maybe empty). */
  frame: Delta[];
  /** What the screen subscribed to; null for everything. */
  view: ClientView | null;
  /** The seq the screen will be at once it applies what was sent (snapshot, replay, frames). */
  sentSeq: number;
  /** It changed its subscription (or the store came back) while a snapshot was on its way: send another after. */
  resubscribed: boolean;
  /** Events it sent in the current second (resync, subscribe): a flood is cut off. */
  events: EventBudget;
  /** What it subscribed to (null: everything), and the class it is in once live. */
  subscription: Subscription | null;
  cls: ScreenClass | null;
}

/** Screens with the same subscription and frame rate, served together. */
export interface ScreenClass {
  key: string;
  frames: FrameTimer;
  /** The class's one view (null: everything): which entities its members hold. */
  view: ClientView | null;
  members: Set<LiveClient>;
  frame: Delta[];
  /** The seq the class's last frame ended at: members there can share the next one. */
  lastSentSeq: number;
}
