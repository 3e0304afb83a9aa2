// SIGTERM drains a server process: it stops accepting connections, tells its live
// screens to reconnect elsewhere, finishes the request under way (its write is kept),
// and exits 0 well within SHUTDOWN_GRACE_SECONDS.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../../server/store/redis-store.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { DEMO_PASSWORD, login } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive } from '../helpers/live.ts';

let redis: TestRedis;
let server: ServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  server = await startServerProcess({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, DEMO_PASSWORD, ALERT_INTERVAL_SECONDS: '3600', SHUTDOWN_GRACE_SECONDS: '10' });
}, 90_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  await redis?.stop();
});

it('stops accepting, says draining, finishes the request under way, and exits 0', async () => {
  const token = await login(server.url, 'commander');
  const screen = connectLive(server.url, { token });
  let pointId = '';
  screen.on('snapshot', (s) => (pointId = Object.keys(s.collections.samplingPoints)[0]!));
  let drainingAt = 0;
  screen.on('draining', () => (drainingAt = Date.now()));
  await waitFor(() => pointId, 'a snapshot');

  // A write whose body is still on its way when the signal comes.
  const body = JSON.stringify({ queue: 4242 });
  const url = new URL(`${server.url}/api/sampling-points/${pointId}`);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'PATCH',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 5));
    setTimeout(() => {
      const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
      signalledAt = Date.now();
      server.child.kill('SIGTERM');
      exit = exited;
      setTimeout(() => req.end(body.slice(5)), 700);
    }, 200);
  });
  let signalledAt = 0;
  let exit: Promise<number | null> = Promise.resolve(null);

  // While it drains, a new connection is not taken.
  await waitFor(() => drainingAt, 'the screen is told to go elsewhere', 5000);
  await expect(fetch(`${server.url}/api/health`).then((r) => r.status)).rejects.toThrow();

  const answered = await response;
  expect(answered.status).toBe(200);
  expect(JSON.parse(answered.body)).toMatchObject({ data: { queue: 4242 } });
  expect(await exit).toBe(0);
  const drainMs = Date.now() - signalledAt;
  expect(drainMs).toBeLessThan(10_000);
  expect(screen.connected).toBe(false);

  // The write made during the drain is in the store.
  const store = new RedisStore({ url: redis.url, prefix: redis.prefix });
  expect((await store.get('samplingPoints', pointId))?.queue).toBe(4242);
  await store.close();
  console.log(`drain: screen told ${drainingAt - signalledAt} ms after SIGTERM; the request under way answered 200; exit 0 after ${drainMs} ms`);
}, 60_000);
