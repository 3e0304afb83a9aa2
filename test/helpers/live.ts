// A typed socket.io client on the live namespace, as the board connects: websocket only, a
// connection of its own, and no reconnection unless the test asks for it.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { LiveClientEvents, LiveServerEvents } from '../../server/schema/index.ts';

export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

/** Connects to `${url}/live` (or another `namespace`) with this handshake auth (a token, lastSeq, subscribe…, or hostile input). */
export function connectLive(url: string, auth: object, options: Partial<ManagerOptions & SocketOptions> & { namespace?: string } = {}): LiveSocket {
  const { namespace = '/live', ...rest } = options;
  return io(`${url}${namespace}`, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, forceNew: true, ...rest });
}

/** The next event of this name (its first argument). */
export function nextEvent<E extends keyof LiveServerEvents>(socket: LiveSocket, event: E): Promise<Parameters<LiveServerEvents[E]>[0]> {
  return new Promise((resolve) => socket.once(event, resolve as never));
}
