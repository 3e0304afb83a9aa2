// `npm run bench:ingest`: sustained GPS positions per second into Redis through one
// server process (issue 8, GPS ingest 5: target 20,000/s per process), over the HTTP
// batch endpoint and over the JT/T 808 gateway. A private redis-server and the real
// server as child processes (production settings, simulator off, rate limit out of the
// way), the sample county plus VEHICLES synthetic units with their terminals. Each
// transport: a warm-up, then RUNS windows of MEASURE_MS; the median window is printed,
// and at the end the store must hold every unit's last acknowledged fix.
// Three phases: http (batches), jt808 (0x0704 batches with a 0x0200 now and then) and
// jt808-single (SINGLE_TERMINALS connections held open, each sending one 0x0200 per
// message as real terminals do, one in flight). PHASES=http,jt808-single runs those;
// CLIENTS, BATCH, PER_UNIT, TERMINALS, SINGLE_EVERY override the load; CPU_PROF=dir
// writes the server's CPU profile there (node --cpu-prof); SERVER_FLAGS adds node flags to the server. Whatever happens (a phase
// failing, Ctrl-C), the redis-server and server it started are stopped.
import { bbox } from '@turf/turf';
import { loadCounty } from '../server/county/county.ts';
import { RedisStore } from '../server/store/redis-store.ts';
import { dueIn, makeFleet, nextFix, writeDataDir, type Fix, type Unit } from './bench-ingest/fleet.ts';
import { FIXES_PER_BATCH, Terminal } from './bench-ingest/terminal.ts';
import { freePort, lines, procStats, start, startRedisServer, waitHealthy } from './lib/processes.ts';

const VEHICLES = Number(process.env.VEHICLES ?? 2000);
const TERMINALS = Math.min(VEHICLES, Number(process.env.TERMINALS ?? 500));
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const BATCH = Number(process.env.BATCH ?? 2000);
const PER_UNIT = Number(process.env.PER_UNIT ?? 4);
const SINGLE_EVERY = Number(process.env.SINGLE_EVERY ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 10_000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 3000);
const PHASES = (process.env.PHASES ?? 'http,jt808,jt808-single').split(',');
const SINGLE_TERMINALS = Math.min(VEHICLES, Number(process.env.SINGLE_TERMINALS ?? VEHICLES));
/** Hours of backlog on each unit's clock (fixes older than a day are refused). */
const BACKLOG_HOURS = Number(process.env.BACKLOG_HOURS ?? 20);
const PASSWORD = 'bench-password';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : NaN);
const median = (xs: number[]) => quantile(xs, 0.5);
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');
/** The server's CPU time per accepted fix: what a fix costs, whatever else the machine runs. */
const cpuPerFix = (r: { serverCpu: number; fixesPerSecond: number }) => (r.serverCpu * 10_000) / Math.max(1, r.fixesPerSecond);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the fleet, its county and the processes ----
const county = await loadCounty('data/guazhou');
const fleet = makeFleet(county.locator, bbox(county.outline) as [number, number, number, number], VEHICLES, BACKLOG_HOURS * 3_600_000);
const data = writeDataDir('data/guazhou', fleet);
const redis = await startRedisServer();
const port = await freePort();
const jt808Port = await freePort();
const url = `http://127.0.0.1:${port}`;
const profile = process.env.CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROF] : [];
// SERVER_FLAGS: node flags for the server alone, e.g. "--max-semi-space-size=32" to A/B the young generation's size.
const serverFlags = (process.env.SERVER_FLAGS ?? '').split(' ').filter(Boolean);
const server = start(process.execPath, [...profile, ...serverFlags, '--import', 'tsx', 'server/main.ts'], {
  NODE_ENV: 'production',
  REDIS_URL: redis.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  DATA_DIR: data.dir,
  SIMULATOR: 'off',
  LOG_LEVEL: 'warn',
  DEMO_PASSWORD: PASSWORD,
  METRICS_TOKEN,
  INGEST_RATE_LIMIT: '10000000',
  JT808_PORT: String(jt808Port),
  // Every terminal from one address, all registering at once: the per-address caps out of the way.
  JT808_CONNECTIONS_PER_ADDRESS: '100000',
  JT808_REGISTRATIONS_PER_ADDRESS: '1000000',
});
// Whatever happens from here on, the processes started are stopped: a synchronous kill on
// exit, and the signals and crashes routed through it.
let cleaned = false;
function killAll(): void {
  if (cleaned) return;
  cleaned = true;
  server.kill('SIGKILL');
  redis.stop();
  data.remove();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
process.on('uncaughtException', (err) => {
  console.error(err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  console.error(err);
  process.exit(1);
});
// The server logs to stdout: read it (a full pipe would stall the server) and show the first lines.
let logLines = 0;
lines(server, (line) => {
  if (logLines++ < 20) console.error(`server: ${line}`);
});
await waitHealthy(url);
const store = new RedisStore({ url: redis.url });
console.log(`load: ${VEHICLES} synthetic units on ${county.seed.ambulances.length} of the county's; ${RUNS} runs of ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up`);

interface Window {
  started: number;
  fixes: number;
  requests: number;
  refused: Record<string, number>;
  failed: number;
  latencies: number[];
}
const newWindow = (): Window => ({ started: performance.now(), fixes: 0, requests: 0, refused: {}, failed: 0, latencies: [] });

interface RunFigures {
  fixesPerSecond: number;
  /** For JT/T 808: what the server counted as accepted (its /metrics). */
  serverPerSecond: number;
  writesPerSecond: number;
  p50: number;
  p99: number;
  serverCpu: number;
  redisCpu: number;
  /** This process: the load generator. */
  benchCpu: number;
  refused: number;
  failed: number;
}

async function jt808Accepted(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^board_positions_total\{source="jt808",result="accepted"\} (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** Warm-up, then RUNS windows; `current` is the window the load counts into. */
async function measure(current: { window: Window }): Promise<RunFigures[]> {
  await sleep(WARMUP_MS);
  const runs: RunFigures[] = [];
  for (let r = 0; r < RUNS; r++) {
    const window = (current.window = newWindow());
    const [cpu0, rcpu0, bcpu0, seq0, acc0] = [procStats(server.pid!).cpu, procStats(redis.child.pid!).cpu, procStats(process.pid).cpu, await store.seq(), await jt808Accepted()];
    await sleep(MEASURE_MS);
    const [cpu1, rcpu1, bcpu1, seq1, acc1] = [procStats(server.pid!).cpu, procStats(redis.child.pid!).cpu, procStats(process.pid).cpu, await store.seq(), await jt808Accepted()];
    current.window = newWindow();
    const seconds = (performance.now() - window.started) / 1000;
    runs.push({
      fixesPerSecond: window.fixes / seconds,
      serverPerSecond: (acc1 - acc0) / seconds,
      writesPerSecond: (seq1 - seq0) / seconds,
      p50: quantile(window.latencies, 0.5),
      p99: quantile(window.latencies, 0.99),
      serverCpu: ((cpu1 - cpu0) / seconds) * 100,
      redisCpu: ((rcpu1 - rcpu0) / seconds) * 100,
      benchCpu: ((bcpu1 - bcpu0) / seconds) * 100,
      refused: Object.values(window.refused).reduce((a, b) => a + b, 0),
      failed: window.failed,
    });
  }
  return runs;
}

/** How many units hold exactly their last acknowledged fix in Redis. */
async function verify(expected: Map<string, Fix>): Promise<number> {
  const snap = await store.snapshot();
  let ok = 0;
  for (const [id, fix] of expected) {
    const got = snap.collections.ambulances[id]?.fix;
    if (got && got.at === fix.at && Math.abs(got.lng - fix.lng) < 1e-6 && Math.abs(got.lat - fix.lat) < 1e-6) ok++;
  }
  return ok;
}

function report(name: string, runs: RunFigures[], extra: string): void {
  const m = (f: (r: RunFigures) => number) => median(runs.map(f));
  for (const [i, r] of runs.entries()) {
    console.log(
      `${name}.run${i + 1}: ${thousands(r.fixesPerSecond)} fixes/s, ${thousands(r.writesPerSecond)} store writes/s, p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms, server CPU ${Math.round(r.serverCpu)} % (${cpuPerFix(r).toFixed(1)} µs a fix), redis CPU ${Math.round(r.redisCpu)} %, bench CPU ${Math.round(r.benchCpu)} %`,
    );
  }
  console.log(
    `${name}: ${thousands(m((r) => r.fixesPerSecond))} fixes/s accepted (median of ${RUNS} runs of ${MEASURE_MS / 1000} s), p50 ${m((r) => r.p50).toFixed(0)} ms p99 ${m((r) => r.p99).toFixed(0)} ms, server CPU ${Math.round(m((r) => r.serverCpu))} % (${m(cpuPerFix).toFixed(1)} µs a fix), redis CPU ${Math.round(m((r) => r.redisCpu))} %, ${runs.reduce((a, r) => a + r.refused, 0)} refused, ${runs.reduce((a, r) => a + r.failed, 0)} failed${extra}`,
  );
}

// ---- HTTP: CLIENTS keep-alive clients, each with its own units, BATCH fixes a request (PER_UNIT a unit) ----
async function benchHttp(): Promise<void> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const current = { window: newWindow() };
  const lastAccepted = new Map<string, Fix>();
  let running = true;

  const client = async (units: Unit[]) => {
    const perRequest = Math.max(1, Math.floor(BATCH / PER_UNIT));
    let cursor = 0;
    while (running) {
      const chosen = Array.from({ length: Math.min(perRequest, units.length) }, () => units[cursor++ % units.length]!);
      const wait = Math.max(...chosen.map((u) => dueIn(u, PER_UNIT)));
      if (wait > 0) await sleep(wait);
      // Oldest first across units, as a gateway relays its backlog.
      const fixes: (Fix & { id: string })[] = [];
      for (let k = 0; k < PER_UNIT; k++) for (const u of chosen) fixes.push({ id: u.id, ...nextFix(u) });
      const started = performance.now();
      const reply = await fetch(`${url}/api/ambulances/positions`, { method: 'POST', headers, body: JSON.stringify({ fixes }) });
      const w = current.window;
      w.requests++;
      w.latencies.push(performance.now() - started);
      if (!reply.ok) {
        w.failed++;
        await reply.arrayBuffer();
        continue;
      }
      const body = (await reply.json()) as { accepted: number; refused: { index: number; reason: string }[] };
      w.fixes += body.accepted;
      const refusedAt = new Set<number>();
      for (const r of body.refused) {
        w.refused[r.reason] = (w.refused[r.reason] ?? 0) + 1;
        refusedAt.add(r.index);
      }
      fixes.forEach((f, i) => refusedAt.has(i) || lastAccepted.set(f.id, f));
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(fleet.filter((_u, i) => i % CLIENTS === c)));
  const runs = await measure(current);
  running = false;
  await Promise.all(clients);
  const held = await verify(lastAccepted);
  report('ingest.http', runs, `; ${CLIENTS} clients × ${BATCH} fixes a request (${PER_UNIT} a unit)`);
  console.log(`ingest.http.verify: ${held} of ${lastAccepted.size} units hold their last accepted fix in Redis`);
}

// ---- JT/T 808: `count` connections, one per unit, a 0x0704 (or 0x0200) in flight each ----
async function benchJt808(name: string, count: number, singleEvery: number): Promise<void> {
  const terminals: Terminal[] = [];
  // Each phase its own units (a terminal registers once), from the end of the fleet for the second.
  const units = name === 'ingest.jt808' ? fleet.slice(0, count) : fleet.slice(fleet.length - count);
  for (let i = 0; i < units.length; i += 50) {
    terminals.push(...(await Promise.all(units.slice(i, i + 50).map((u) => Terminal.open(jt808Port, u)))));
  }
  const current = { window: newWindow() };
  const record = (fixes: number, ok: boolean, ms: number) => {
    const w = current.window;
    w.requests++;
    w.latencies.push(ms);
    if (ok) w.fixes += fixes;
    else w.failed++;
  };
  let running = true;
  const driving = terminals.map((t) => t.drive(() => running, record, singleEvery));
  const runs = await measure(current);
  running = false;
  await Promise.all(driving);
  for (const t of terminals) t.close();
  const expected = new Map<string, Fix>();
  terminals.forEach((t, i) => t.lastAcked && expected.set(units[i]!.id, t.lastAcked));
  const held = await verify(expected);
  const serverMedian = median(runs.map((r) => r.serverPerSecond));
  const load = singleEvery === 1 ? 'one 0x0200 (one fix) a message' : `${FIXES_PER_BATCH} fixes a 0x0704, every ${singleEvery}th message a 0x0200`;
  report(name, runs, `; ${count} terminals connected, one message in flight each, ${load}; the server counted ${thousands(serverMedian)} accepted/s`);
  console.log(`${name}.verify: ${held} of ${expected.size} units hold their last acknowledged fix in Redis`);
}

let failed = false;
try {
  if (PHASES.includes('http')) await benchHttp();
  if (PHASES.includes('jt808')) await benchJt808('ingest.jt808', Math.min(TERMINALS, Math.floor(VEHICLES / 2)), SINGLE_EVERY);
  if (PHASES.includes('jt808-single')) await benchJt808('ingest.jt808.single', Math.min(SINGLE_TERMINALS, PHASES.includes('jt808') ? Math.ceil(VEHICLES / 2) : VEHICLES), 1);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await store.close().catch(() => {});
  // SIGTERM: the server shuts down cleanly (and writes its CPU profile when asked).
  const serverExit = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([serverExit, sleep(15_000)]);
  killAll();
}
process.exit(failed ? 1 : 0);
