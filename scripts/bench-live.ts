// `npm run bench:live`: Redis, the server and the load generators as separate
// processes. Runs the same load twice: the board as built (frames, tablets on
// their town) and a naive baseline (one message per change to every client, each
// vehicle whole, no subscriptions), and prints one `name: value unit` line per figure.
// CLIENTS, VEHICLES and MEASURE_MS override the default load, FIELD_LAYERS what
// tablets subscribe to (default: samplingPoints,alerts, as /field); MODES=board runs
// one mode; CPU_PROF=dir writes the server's CPU profile there (node --cpu-prof).
// Two more modes (issue 17, part 5): `two` runs the board as two server processes on one
// Redis, half the screens on each, and reports each process's CPU and memory and the
// latency of the whole; `series` runs the board on one process at each of SERIES screens
// (default 1000,2000,4000), to show where one process's knee is. The screens are spread
// over LOAD_PROCS load processes (default one per 1,000 screens), so that one load
// process's event loop is not the limit. Each load process's screens are raw WebSockets
// (clients.ts); PROBE_SHARE of them (default 0.2) time every update, the rest only receive.
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

interface ServerFigures {
  cpuPerSecond: number;
  peakRssMb: number;
}

interface Result {
  /** Each server process's CPU and peak memory. */
  servers: ServerFigures[];
  loadProcs: number;
  p50: number;
  p95: number;
  p99: number;
  updatesPerSecond: number;
  bytesPerClientPerSecond: number;
  cpuPerSecond: number;
  peakRssMb: number;
  connected: number;
  stillConnected: number;
  /** How long the load processes took until every screen had its snapshot (the slowest), and the connections tried again meanwhile. */
  connectMs: number;
  retries: number;
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

/** One load process's last line: its figures, counts and histograms ([ms, count] buckets). */
interface LoadDone {
  connected: number;
  stillConnected: number;
  seconds: number;
  counts: { clients: number; probes: number; updates: number; bytes: number; updatesOf: Record<Role, number>; probesOf: Record<Role, number> };
  hist: Record<'all' | 'state' | Role, [number, number][]>;
}
type Role = 'wall' | 'dispatcher' | 'field';

/** p50/p95/p99 of the load processes' histograms together. */
function merged(parts: [number, number][][]): number[] {
  const h = new Map<number, number>();
  for (const part of parts) for (const [ms, n] of part) h.set(ms, (h.get(ms) ?? 0) + n);
  const buckets = [...h].sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, n]) => a + n, 0);
  return [0.5, 0.95, 0.99].map((p) => {
    let seen = 0;
    for (const [ms, n] of buckets) if ((seen += n) >= total * p) return ms;
    return NaN;
  });
}

async function run(mode: 'board' | 'baseline', clientsWanted = CLIENTS, serverCount = 1): Promise<Result> {
  const redis = await startRedisServer();
  const redisUrl = redis.url;
  const profile = process.env.CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROF] : [];
  // The baseline is the same app with the naive fan-out (scripts/bench-live/naive-server.ts).
  const entry = mode === 'baseline' ? 'scripts/bench-live/naive-server.ts' : 'server/main.ts';
  const servers: ChildProcess[] = [];
  const urls: string[] = [];
  // One after the other: the first seeds the county, the others find it seeded.
  for (let i = 0; i < serverCount; i++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
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
    servers.push(server);
    urls.push(url);
  }
  const url = urls[0]!;

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

  // The screens over the load processes, each process's screens on one server (in turn).
  const loadProcs = Math.max(serverCount, Number(process.env.LOAD_PROCS ?? Math.ceil(clientsWanted / 1000)));
  const loads = Array.from({ length: loadProcs }, (_, j) =>
    start(process.execPath, ['--import', 'tsx', 'scripts/bench-live/clients.ts'], {
      URL: urls[j % urls.length]!,
      CLIENTS: String(Math.floor(clientsWanted / loadProcs) + (j < clientsWanted % loadProcs ? 1 : 0)),
      SUBSCRIBE: mode === 'board' ? '1' : '0',
      PROBE_SHARE: process.env.PROBE_SHARE ?? '0.2',
      MEASURE_MS: String(MEASURE_MS),
      TOWNS: county.towns.map((t) => t.name).join(','),
      ...(process.env.FIELD_LAYERS ? { FIELD_LAYERS: process.env.FIELD_LAYERS } : {}),
      DEMO_PASSWORD: PASSWORD,
    }),
  );
  let reporter: ChildProcess | null = null;
  let reported = '';
  let before: { cpu: number }[] = [];
  const dones: LoadDone[] = [];
  let ready = 0;
  let connectMs = 0;
  let retries = 0;
  await new Promise<void>((resolve) => {
    for (const clients of loads)
      lines(clients, (line) => {
        const msg = JSON.parse(line) as Record<string, number | boolean>;
        if (msg.ready) {
          connectMs = Math.max(connectMs, Number(msg.connectMs ?? 0));
          retries += Number(msg.retries ?? 0);
        }
        if (msg.ready && ++ready === loads.length) {
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
              before = servers.map((s) => procStats(s.pid!));
              for (const l of loads) l.kill('SIGUSR2');
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
        if (msg.done) {
          dones.push(msg as unknown as LoadDone);
          if (dones.length === loads.length) resolve();
        }
      });
  });
  const after = servers.map((s) => procStats(s.pid!));
  for (const p of [reporter as ChildProcess | null, ...loads]) p?.kill('SIGKILL');
  // SIGTERM: the servers shut down cleanly (and write their CPU profiles when asked).
  await Promise.all(
    servers.map(async (server) => {
      const serverExit = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([serverExit, new Promise((r) => setTimeout(r, 15_000))]);
      server.kill('SIGKILL');
    }),
  );
  redis.stop();
  const seconds = Math.max(...dones.map((d) => d.seconds));
  const sum = (f: (d: LoadDone) => number) => dones.reduce((a, d) => a + f(d), 0);
  const [p50, p95, p99] = merged(dones.map((d) => d.hist.all));
  const figures: ServerFigures[] = servers.map((_, i) => ({ cpuPerSecond: (after[i]!.cpu - before[i]!.cpu) / seconds, peakRssMb: after[i]!.peakMb }));
  const perRole = (r: Role) =>
    sum((d) => d.counts.updatesOf[r]) /
    Math.max(
      1,
      sum((d) => d.counts.probesOf[r]),
    ) /
    seconds;
  return {
    servers: figures,
    loadProcs,
    p50: p50!,
    p95: p95!,
    p99: p99!,
    state: merged(dones.map((d) => d.hist.state)),
    moveWall: merged(dones.map((d) => d.hist.wall)),
    moveDispatcher: merged(dones.map((d) => d.hist.dispatcher)),
    moveField: merged(dones.map((d) => d.hist.field)),
    perClient: { wall: perRole('wall'), dispatcher: perRole('dispatcher'), field: perRole('field') },
    // The probes' updates, scaled to every screen of their load process.
    updatesPerSecond: sum((d) => (d.counts.updates * d.counts.clients) / Math.max(1, d.counts.probes)) / seconds,
    bytesPerClientPerSecond:
      sum((d) => d.counts.bytes) /
      Math.max(
        1,
        sum((d) => d.counts.clients),
      ) /
      seconds,
    cpuPerSecond: figures.reduce((a, f) => a + f.cpuPerSecond, 0),
    peakRssMb: Math.max(...figures.map((f) => f.peakRssMb)),
    connected: sum((d) => d.connected),
    stillConnected: sum((d) => d.stillConnected),
    connectMs,
    retries,
    reported,
  };
}

console.log(
  `load: ${CLIENTS} clients (5 % wall, 15 % dispatcher, 80 % field tablets on their town's points and alerts), ${VEHICLES} vehicles at 1 Hz, 100 sampling points every 5 s`,
);

function print(name: string, r: Result, clients: number): void {
  console.log(`${name}.clients: ${r.connected} connected, ${r.stillConnected} at the end (${r.loadProcs} load processes)`);
  console.log(`${name}.connect: ${(r.connectMs / 1000).toFixed(1)} s until every screen had its snapshot, ${r.retries} connections tried again`);
  console.log(`${name}.reporter: ${r.reported || 'no report'}`);
  const { failed = 0 } = (r.reported ? JSON.parse(r.reported) : {}) as { failed?: number };
  if (failed > 0) console.error(`${name}: the load generator's requests were refused (${failed}): the figures below are not of the intended load`);
  console.log(`${name}.latency.p50: ${r.p50} ms`);
  console.log(`${name}.latency.p95: ${r.p95} ms`);
  console.log(`${name}.latency.p99: ${r.p99} ms`);
  // NaN: no such update reached that kind of screen (tablets subscribe to no vehicles by default).
  const ms = (x: number[]) => x.map((v) => (Number.isNaN(v) ? 'none' : `${v} ms`)).join(' / ');
  console.log(`${name}.latency.state-changes p50/p95/p99: ${ms(r.state)}`);
  console.log(`${name}.latency.positions.wall p50/p95/p99: ${ms(r.moveWall)}`);
  console.log(`${name}.latency.positions.dispatcher p50/p95/p99: ${ms(r.moveDispatcher)}`);
  console.log(`${name}.latency.positions.field p50/p95/p99: ${ms(r.moveField)}`);
  console.log(
    `${name}.delivered: ${Math.round(r.updatesPerSecond)} updates/s (per screen: wall ${Math.round(r.perClient.wall)}, dispatcher ${Math.round(r.perClient.dispatcher)}, field ${Math.round(r.perClient.field)})`,
  );
  console.log(`${name}.bytes: ${Math.round(r.bytesPerClientPerSecond)} bytes/client/s`);
  console.log(`${name}.server.cpu: ${r.cpuPerSecond.toFixed(2)} cpu-s/s`);
  console.log(`${name}.server.cpu-per-client: ${((r.cpuPerSecond / clients) * 1e6).toFixed(1)} µs/client/s`);
  console.log(`${name}.server.peak-rss: ${Math.round(r.peakRssMb)} MB`);
  if (r.servers.length > 1)
    r.servers.forEach((f, i) => console.log(`${name}.server.${String.fromCharCode(97 + i)}: ${f.cpuPerSecond.toFixed(2)} cpu-s/s, peak RSS ${Math.round(f.peakRssMb)} MB`));
}

const results: Record<string, Result> = {};
const modes = (process.env.MODES ?? 'board,baseline').split(',');
for (const mode of modes) {
  if (mode === 'board' || mode === 'baseline') {
    results[mode] = await run(mode);
    print(mode, results[mode], CLIENTS);
  } else if (mode === 'two') {
    // Two server processes on one Redis, half the screens on each.
    print('two', await run('board', CLIENTS, 2), CLIENTS);
  } else if (mode === 'series') {
    const sizes = (process.env.SERIES ?? '1000,2000,4000').split(',').map(Number);
    const rows: string[] = [];
    for (const n of sizes) {
      const r = await run('board', n, 1);
      print(`series.${n}`, r, n);
      rows.push(
        `series.${n}: p50/p95/p99 ${r.p50} / ${r.p95} / ${r.p99} ms, state changes p99 ${r.state[2]} ms, server ${r.cpuPerSecond.toFixed(2)} cpu-s/s, peak RSS ${Math.round(r.peakRssMb)} MB, ${r.stillConnected}/${n} connected (in ${(r.connectMs / 1000).toFixed(1)} s, ${r.retries} retries)`,
      );
    }
    for (const row of rows) console.log(row);
  } else throw new Error(`MODES: unknown mode ${mode} (board, baseline, two, series)`);
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
  const needBytes = ((n.bytesPerClientPerSecond * CLIENTS) / nUpdates) * owed;
  const needCpu = (n.cpuPerSecond / nUpdates) * owed * CLIENTS;
  console.log(`baseline.owed: ${Math.round(owed)} updates/client/s (it delivered ${Math.round(nUpdates / CLIENTS)})`);
  console.log(`baseline.bytes-at-load: ${Math.round(needBytes)} bytes/client/s`);
  console.log(`baseline.cpu-at-load: ${needCpu.toFixed(2)} cpu-s/s`);
  console.log(`ratio.bytes baseline/board, per client at the load: ${(needBytes / b.bytesPerClientPerSecond).toFixed(1)} x`);
  console.log(`ratio.cpu baseline/board, at the load: ${(needCpu / b.cpuPerSecond).toFixed(1)} x`);
}
process.exit(0);
