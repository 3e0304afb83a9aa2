// Redis goes away under a running server process, then comes back (restarted with
// its AOF, as in production). Meanwhile the server stays up and says so: health 503,
// every screen told, writes refused with a 503 (never accepted and then lost). When
// Redis returns, screens are resynced without a restart and end with the store's state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyDelta, type LiveCollections, type Snapshot, type StoreStatus } from '../../server/schema/index.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';
import { DEMO_PASSWORD, login } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive } from '../helpers/live.ts';

const AOF = ['--appendonly', 'yes', '--appendfsync', 'everysec'];
let dir: string;
let port: number;
let redis: TestRedis;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redis-down-'));
  port = await freePort();
  redis = await startRedis({ args: AOF, port, dir });
  server = await startServerProcess({ REDIS_URL: redis.url, DEMO_PASSWORD, ALERT_INTERVAL_SECONDS: '3600' });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A screen: applies snapshots and deltas, records what the server says of its store. */
function screen(url: string, token: string) {
  const state = { collections: null as LiveCollections | null, seq: 0, store: [] as StoreStatus[], snapshots: [] as Snapshot['reason'][] };
  const socket = connectLive(url, { token }, { reconnection: true });
  socket.on('snapshot', (s) => {
    state.collections = s.collections;
    state.seq = s.seq;
    state.snapshots.push(s.reason);
  });
  socket.on('delta', (d) => {
    if (!state.collections || (d.from ?? d.seq) !== state.seq + 1) return;
    applyDelta(state.collections, d);
    state.seq = d.seq;
  });
  socket.on('store', (s) => state.store.push(s));
  return { state, socket };
}

it('stays up while Redis is down, refuses writes with a 503, and resyncs every screen when it returns', async () => {
  const token = await login(server.url, 'commander');
  const wall = screen(server.url, token);
  await waitFor(() => wall.state.collections !== null, 'first snapshot');
  expect(wall.state.store.at(-1)).toMatchObject({ reachable: true });
  const pointId = Object.keys(wall.state.collections!.samplingPoints)[0]!;
  const patch = (queue: number) =>
    fetch(`${server.url}/api/sampling-points/${pointId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue }),
    });
  expect((await patch(111)).status).toBe(200);
  // AOF with fsync every second: a write acknowledged over a second ago survives a crash.
  await new Promise((r) => setTimeout(r, 1200));

  redis.process!.kill('SIGKILL');
  const downAt = Date.now();
  const health = await waitFor(async () => {
    const res = await fetch(`${server.url}/api/health`);
    return res.status === 503 ? ((await res.json()) as { status: string; store: { reachable: boolean } }) : null;
  }, 'health says the store is unreachable');
  const detectMs = Date.now() - downAt;
  expect(health).toMatchObject({ status: 'store-unreachable', store: { reachable: false } });
  // The screen is told, and keeps what it had.
  await waitFor(() => wall.state.store.at(-1)?.reachable === false, 'the screen hears the store is down');
  expect(wall.state.collections!.samplingPoints[pointId]!.queue).toBe(111);

  const refused = await patch(222);
  expect(refused.status).toBe(503);
  expect(await refused.json()).toMatchObject({ error: 'store-unavailable', message: expect.stringContaining('未保存') });
  // Reads the server cannot vouch for say so (the session itself lives in the store).
  expect((await fetch(`${server.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(503);
  expect(server.child.exitCode).toBeNull();

  // Redis comes back on the same address with its append-only file.
  redis = await startRedis({ args: AOF, port, dir });
  const upAt = Date.now();
  await waitFor(async () => (await fetch(`${server.url}/api/health`)).status === 200, 'health ok again');
  await waitFor(() => wall.state.store.at(-1)?.reachable === true, 'the screen hears the store is back');
  await waitFor(() => wall.state.snapshots.includes('store-recovered'), 'the screen is resynced');
  const recoverMs = Date.now() - upAt;
  // The refused write left no trace; the acknowledged one survived the crash.
  expect(wall.state.collections!.samplingPoints[pointId]!.queue).toBe(111);
  expect((await patch(333)).status).toBe(200);

  const store = (await (await fetch(`${server.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()) as Snapshot;
  await waitFor(() => wall.state.seq === store.seq, 'the screen catches up');
  expect(wall.state.collections).toEqual(store.collections);
  expect(store.collections.samplingPoints[pointId]!.queue).toBe(333);
  expect(wall.socket.connected).toBe(true); // one connection throughout: no restart, no reload
  console.log(`redis down: detected in ${detectMs} ms; screens resynced ${recoverMs} ms after Redis restarted`);
  wall.socket.close();
}, 90_000);
