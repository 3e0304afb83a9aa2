// `npm run bench:live`: Redis, the server and the load generators as separate
// processes. Runs the same load twice: the board as built (frames, tablets on
// their town) and a naive baseline (one message per change to every client, each
// vehicle whole, no subscriptions), and prints one `name: value unit` line per figure.
// CLIENTS, VEHICLES and MEASURE_MS override the default load, FIELD_LAYERS what
// tablets subscribe to (default: samplingPoints,alerts, as /field); MODES=board runs
// one mode; CPU_PROF=dir writes the server's CPU profile there (node --cpu-prof).
import type { ChildProcess } from 'node:child_process';
import { loadCounty } from '../server/county/county.ts';
import type { Ambulance, Change } from '../server/schema/index.ts';
import { RedisStore } from '../server/store/redis-store.ts';
import { positionAt } from './bench-live/fleet.ts';
import { lines, procStats, start, startRedisServer, waitHealthy, freePort } from './lib/processes.ts';

const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const VEHICLES = Number(process.env.VEHICLES ?? 1000);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 20_000);
const PASSWORD = 'bench-password';

interface Result {
  p50: number;
  p95: number;
  p99: number;
  updatesPerSecond: number;
  bytesPerClientPerSecond: number;
  cpuPerSecond: number;
  peakRssMb: number;
  connected: number;
  stillConnected: number;
  /** p50/p95/p99 of state changes alone, and of positions by screen kind. */
  state: number[];
  moveWall: number[];
  moveDispatcher: number[];
  moveField: number[];
  /** Updates per second each screen of a kind got. */
  perClient: { wall: number; dispatcher: number; field: number };
  /** The load generator's last `{sent, failed}` line. */
  reported: string;
}

async function run(mode: 'board' | 'baseline'): Promise<Result> {
  const redis = await startRedisServer();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const redisUrl = redis.url;
  const profile = process.env.CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROF] : [];
  // The baseline is the same app with the naive fan-out (scripts/bench-live/naive-server.ts).
  const entry = mode === 'baseline' ? 'scripts/bench-live/naive-server.ts' : 'server/main.ts';
  const server = start(process.execPath, [...profile, '--import', 'tsx', entry], {
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
    DEMO_PASSWORD: PASSWORD,
    SLOW_CLIENT_LIMIT: '100000',
    // Every screen of a role shares one session here: the per-session live limits would refuse all but a few.
    LIVE_SOCKETS_PER_SESSION: '1000',
    LIVE_RESUMES_PER_MINUTE: '100000',
    ...(mode === 'baseline' ? { LIVE_FRAME_MS: '0', FIELD_FRAME_MS: '0' } : {}),
  });
  await waitHealthy(url);

  // Make the fleet up to VEHICLES with synthetic units, and place every unit where the
  // reporter's first fix will find it (fleet.ts), so that the fix filter takes them all.
  const county = await loadCounty('data/guazhou');
  const store = new RedisStore({ url: redisUrl });
  const snap = await store.snapshot();
  const seeded = Object.values(snap.collections.ambulances);
  const placed: Change[] = [];
  const now = Date.now();
  for (let i = 0; i < Math.max(VEHICLES, seeded.length); i++) {
    const { lng, lat } = positionAt(i, now);
    const base: Ambulance = seeded[i] ?? { ...seeded[0]!, id: `BENCH${String(i).padStart(4, '0')}`, callSign: `压测${i}` };
    const entity: Ambulance = { ...base, fix: { lng, lat, at: now, speed: 0, heading: 0 }, gridId: county.locator.locate(lng, lat)?.id ?? null, updatedAt: now };
    placed.push({ op: 'upsert', collection: 'ambulances', entity });
  }
  await store.apply(placed, now);
  const vehicles = placed.map((c) => (c.op === 'upsert' ? c.entity.id : ''));
  const points = Object.keys(snap.collections.samplingPoints);
  await store.close();

  const clients = start(process.execPath, ['--import', 'tsx', 'scripts/bench-live/clients.ts'], {
    URL: url,
    CLIENTS: String(CLIENTS),
    SUBSCRIBE: mode === 'board' ? '1' : '0',
    MEASURE_MS: String(MEASURE_MS),
    TOWNS: county.towns.map((t) => t.name).join(','),
    ...(process.env.FIELD_LAYERS ? { FIELD_LAYERS: process.env.FIELD_LAYERS } : {}),
    DEMO_PASSWORD: PASSWORD,
  });
  let reporter: ChildProcess | null = null;
  let reported = '';
  let before = { cpu: 0, peakMb: 0 };
  const result = await new Promise<
    Record<string, number> & Record<'state' | 'moveWall' | 'moveDispatcher' | 'moveField', number[]> & { perClient: Result['perClient'] }
  >((resolve) => {
    lines(clients, (line) => {
      const msg = JSON.parse(line) as Record<string, number | boolean>;
      if (msg.ready) {
        reporter = start(process.execPath, ['--import', 'tsx', 'scripts/bench-live/reporter.ts'], {
          URL: url,
          VEHICLES: vehicles.join(','),
          POINTS: points.join(','),
          DEMO_PASSWORD: PASSWORD,
        });
        // Measuring starts 3 s after the load does (the reporter's first line: a request taken),
        // or after 60 s without it: a server still busy with the screens' snapshots is not yet under the load.
        let measuring = false;
        const measure = () => {
          if (measuring) return;
          measuring = true;
          setTimeout(() => {
            before = procStats(server.pid!);
            clients.kill('SIGUSR2');
          }, 3000);
        };
        const fallback = setTimeout(measure, 60_000);
        // Its last count of requests sent and refused: a load that was refused measures nothing.
        lines(reporter, (l) => {
          reported = l;
          clearTimeout(fallback);
          measure();
        });
      }
      if (msg.done) resolve(msg as never);
    });
  });
  const after = procStats(server.pid!);
  for (const p of [reporter as ChildProcess | null, clients]) p?.kill('SIGKILL');
  // SIGTERM: the server shuts down cleanly (and writes its CPU profile when asked).
  const serverExit = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([serverExit, new Promise((r) => setTimeout(r, 15_000))]);
  server.kill('SIGKILL');
  redis.stop();
  return {
    p50: result.p50!,
    p95: result.p95!,
    p99: result.p99!,
    state: result.state,
    moveWall: result.moveWall,
    moveDispatcher: result.moveDispatcher,
    moveField: result.moveField,
    perClient: result.perClient,
    updatesPerSecond: result.updatesPerSecond!,
    bytesPerClientPerSecond: result.bytesPerClientPerSecond!,
    cpuPerSecond: (after.cpu - before.cpu) / (result.seconds ?? MEASURE_MS / 1000),
    peakRssMb: after.peakMb,
    connected: result.connected!,
    stillConnected: result.stillConnected!,
    reported,
  };
}

console.log(
  `load: ${CLIENTS} clients (5 % wall, 15 % dispatcher, 80 % field tablets on their town's points and alerts), ${VEHICLES} vehicles at 1 Hz, 100 sampling points every 5 s`,
);
const results: Record<string, Result> = {};
const modes = (process.env.MODES ?? 'board,baseline').split(',') as ('board' | 'baseline')[];
for (const mode of modes) {
  const r = await run(mode);
  results[mode] = r;
  console.log(`${mode}.clients: ${r.connected} connected, ${r.stillConnected} at the end`);
  console.log(`${mode}.reporter: ${r.reported || 'no report'}`);
  const { failed = 0 } = (r.reported ? JSON.parse(r.reported) : {}) as { failed?: number };
  if (failed > 0) console.error(`${mode}: the load generator's requests were refused (${failed}): the figures below are not of the intended load`);
  console.log(`${mode}.latency.p50: ${r.p50} ms`);
  console.log(`${mode}.latency.p95: ${r.p95} ms`);
  console.log(`${mode}.latency.p99: ${r.p99} ms`);
  const ms = (x: number[]) => x.map((v) => `${v} ms`).join(' / ');
  console.log(`${mode}.latency.state-changes p50/p95/p99: ${ms(r.state)}`);
  console.log(`${mode}.latency.positions.wall p50/p95/p99: ${ms(r.moveWall)}`);
  console.log(`${mode}.latency.positions.dispatcher p50/p95/p99: ${ms(r.moveDispatcher)}`);
  console.log(`${mode}.latency.positions.field p50/p95/p99: ${ms(r.moveField)}`);
  console.log(`${mode}.delivered: ${Math.round(r.updatesPerSecond)} updates/s (per screen: wall ${Math.round(r.perClient.wall)}, dispatcher ${Math.round(r.perClient.dispatcher)}, field ${Math.round(r.perClient.field)})`);
  console.log(`${mode}.bytes: ${Math.round(r.bytesPerClientPerSecond)} bytes/client/s`);
  console.log(`${mode}.server.cpu: ${r.cpuPerSecond.toFixed(2)} cpu-s/s`);
  console.log(`${mode}.server.cpu-per-client: ${((r.cpuPerSecond / CLIENTS) * 1e6).toFixed(1)} µs/client/s`);
  console.log(`${mode}.server.peak-rss: ${Math.round(r.peakRssMb)} MB`);
}
const b = results.board;
const n = results.baseline;
if (b && n) {
  // Measured as delivered: the baseline cannot carry the load, so what its screens got is
  // a floor of what it would have to send.
  console.log(`ratio.bytes baseline/board, per client as delivered: ${(n.bytesPerClientPerSecond / b.bytesPerClientPerSecond).toFixed(1)} x`);
  console.log(`ratio.cpu baseline/board, as delivered: ${(n.cpuPerSecond / b.cpuPerSecond).toFixed(1)} x`);
  // At the load itself: each baseline screen owes every change, as many a second as a board
  // wall (which subscribes to everything) got; its bytes and CPU per update delivered, times that.
  const owed = b.perClient.wall;
  const nUpdates = n.updatesPerSecond;
  const needBytes = (n.bytesPerClientPerSecond * CLIENTS) / nUpdates * owed;
  const needCpu = (n.cpuPerSecond / nUpdates) * owed * CLIENTS;
  console.log(`baseline.owed: ${Math.round(owed)} updates/client/s (it delivered ${Math.round(nUpdates / CLIENTS)})`);
  console.log(`baseline.bytes-at-load: ${Math.round(needBytes)} bytes/client/s`);
  console.log(`baseline.cpu-at-load: ${needCpu.toFixed(2)} cpu-s/s`);
  console.log(`ratio.bytes baseline/board, per client at the load: ${(needBytes / b.bytesPerClientPerSecond).toFixed(1)} x`);
  console.log(`ratio.cpu baseline/board, at the load: ${(needCpu / b.cpuPerSecond).toFixed(1)} x`);
}
process.exit(0);
