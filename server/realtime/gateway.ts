// Fans the store's deltas out to connected screens. Each client first gets a
// snapshot; deltas that arrive while its snapshot is being read are held and
// sent after it (those already in the snapshot are dropped), so a client sees
// every seq after its snapshot exactly once and in order.
import type { Delta, LiveClientEvents, LiveServerEvents, Snapshot } from '../schema/index.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import type { Socket } from 'socket.io';

export interface LiveSocketData {
  session: StoredSession;
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

  async add(socket: LiveSocket): Promise<void> {
    // Live until sendSnapshot (called at once, before any other event can run) starts holding deltas.
    const client: Client = { socket, pending: null };
    this.clients.set(socket.id, client);
    socket.on('disconnect', () => this.clients.delete(socket.id));
    socket.on('resync', () => void this.sendSnapshot(client));
    await this.sendSnapshot(client);
  }

  private async sendSnapshot(client: Client): Promise<void> {
    // A snapshot already on its way answers this request too.
    if (client.pending) return;
    client.pending = [];
    let snapshot: Snapshot;
    try {
      snapshot = await this.store.snapshot();
    } catch (err) {
      this.onError('snapshot for a client failed', err);
      client.socket.disconnect(true);
      return;
    }
    client.socket.emit('snapshot', snapshot);
    for (const delta of client.pending) {
      if (delta.seq > snapshot.seq) client.socket.emit('delta', delta);
    }
    client.pending = null;
  }
}
