// Fans the store's deltas out to connected screens. Each client first gets a
// snapshot, or, when it resumes from a seq the event log still holds, a replay
// of exactly the deltas it missed. Deltas that arrive meanwhile are held and
// sent after it (those already covered are dropped), so a client sees every
// seq exactly once and in order.
import type { Delta, LiveClientEvents, LiveServerEvents, Snapshot, SnapshotReason } from '../schema/index.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import type { Socket } from 'socket.io';

export interface LiveSocketData {
  session: StoredSession;
  /** From the handshake: resume after this seq. */
  lastSeq?: number;
}
export type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, LiveSocketData>;

interface Client {
  socket: LiveSocket;
  /** Deltas held while a snapshot is on its way; null once the client is live. */
  pending: Delta[] | null;
}

export class LiveGateway {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly store: LiveStore,
    private readonly onError: (message: string, err: unknown) => void,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Called with every delta from the store, in seq order. */
  broadcast(delta: Delta): void {
    for (const client of this.clients.values()) {
      if (client.pending) client.pending.push(delta);
      else client.socket.emit('delta', delta);
    }
  }

  /** A new connection; `lastSeq` when the client holds state up to it and wants to resume. */
  async add(socket: LiveSocket, lastSeq?: number): Promise<void> {
    // Live until resume/sendSnapshot (called at once, before any other event can run) starts holding deltas.
    const client: Client = { socket, pending: null };
    this.clients.set(socket.id, client);
    socket.on('disconnect', () => this.clients.delete(socket.id));
    socket.on('resync', () => void this.sendSnapshot(client, 'resync'));
    if (lastSeq === undefined) await this.sendSnapshot(client, 'connect');
    else await this.resume(client, lastSeq);
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
    client.socket.emit('replay', { after, deltas });
    this.release(client, deltas.at(-1)?.seq ?? after);
  }

  private async sendSnapshot(client: Client, reason: SnapshotReason): Promise<void> {
    // A snapshot (or replay) already on its way answers this request too.
    if (client.pending) return;
    client.pending = [];
    let snapshot: Snapshot;
    try {
      snapshot = await this.store.snapshot();
    } catch (err) {
      this.failed(client, 'snapshot for a client failed', err);
      return;
    }
    client.socket.emit('snapshot', { ...snapshot, reason });
    this.release(client, snapshot.seq);
  }

  private failed(client: Client, message: string, err: unknown): void {
    this.onError(message, err);
    client.pending = null;
    client.socket.disconnect(true);
  }

  /** Sends the held deltas newer than what the client now has, and makes it live. */
  private release(client: Client, upTo: number): void {
    for (const delta of client.pending ?? []) {
      if (delta.seq > upTo) client.socket.emit('delta', delta);
    }
    client.pending = null;
  }
}
