// Whether the board may call its data live. It never shows stale data as live:
// connected, the server reaching its store, in sequence, and the server heard from
// (a message, the server's heartbeat every few seconds, or socket.io's ping) within the
// last `maxAgeMs`. A quiet feed on a healthy connection is still current; a server that
// stops talking (its event loop stalled, a half-open connection) is stale within 10 s.
import { countyFormat } from './county-time.ts';

/**
 * live: current; syncing: connected, catching up after a gap; stale: quiet too long;
 * store-down: the server is there but cannot reach its store (it holds what it last had);
 * offline: no connection.
 */
export type Freshness = 'live' | 'syncing' | 'stale' | 'store-down' | 'offline';

export interface FreshnessInputs {
  connected: boolean;
  /** False while a resync is pending after a gap in seq. */
  inSync: boolean;
  /** When the server was last heard from: a snapshot, a delta or a ping. */
  lastHeardAt: number | null;
  /** The server says it reaches its store (absent: assumed). */
  storeReachable?: boolean;
  now: number;
}

/** The server's heartbeat comes every 3 s (LIVE_HEARTBEAT_MS): 10 s of silence means several went missing. */
export const MAX_QUIET_MS = 10_000;

export function freshness(i: FreshnessInputs, maxAgeMs = MAX_QUIET_MS): Freshness {
  if (!i.connected) return 'offline';
  if (i.storeReachable === false) return 'store-down';
  if (!i.inSync) return 'syncing';
  if (i.lastHeardAt === null || i.now - i.lastHeardAt > maxAgeMs) return 'stale';
  return 'live';
}

/** HH:MM:SS in the county's zone, whatever the browser's. */
export function clockTime(ms: number): string {
  return countyFormat('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(ms));
}
