// `npm run soak`: a long shift. Redis (our own, unless REDIS_URL) and the server as
// separate processes; the simulator at ten times its normal rate (a tick every 100 ms,
// simulated time ×10); screens of every role connecting and leaving throughout, half of
// them resuming from their last seq. Every REPORT_SECONDS it prints one line: the
// server's RSS and heap, event-loop delay (p99, from /metrics), and the latency from a
// change's acceptance to its arrival at a screen. At the end it judges whether memory
// levels off (the last third's median RSS against the middle third's), and exits 1 if it
// climbs, if any screen saw a hole or a duplicate, or if the server died.
//
// SOAK_MINUTES (30) or SOAK_SECONDS sets the length; SOAK_CLIENTS (200) the screens;
// REPORT_SECONDS (60, or a tenth of a short run) the interval.
//
// SOAK_FAILOVER=1: the store is a Sentinel-managed primary with two replicas (REDIS_WAIT_REPLICAS=1),
// a commander taps a queue with opIds throughout (retrying each until answered, as the tablet's
// outbox does), and halfway through the primary is killed with SIGKILL. It prints when the new
// primary was elected, when the first write was accepted after the kill, and how many of the
// acknowledged taps the new primary's log holds (exit 1 unless all).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import type { Delta, LiveClientEvents, LiveServerEvents } from '../server/schema/index.ts';
import { freePort, lines, procStats, start, startRedisServer, waitHealthy } from './lib/processes.ts';
import { MASTER_NAME, startSentinels } from '../test/helpers/sentinel.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? Number(process.env.SOAK_MINUTES ?? 30) * 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 200);
const REPORT_MS = Number(process.env.REPORT_SECONDS ?? Math.min(60, Math.max(2, SECONDS / 10))) * 1000;
/** Shorter than this, the memory trend is printed but not judged (start-up dominates). */
const JUDGE_AFTER_S = 600;
const PASSWORD = 'soak-password-1';
const METRICS_TOKEN = randomUUID();

const FAILOVER = ['1', 'true', 'on', 'yes'].includes(process.env.SOAK_FAILOVER ?? '');
const sentinels = FAILOVER ? await startSentinels(2) : null;
const redis = FAILOVER || process.env.REDIS_URL ? null : await startRedisServer();
if (FAILOVER) delete process.env.REDIS_URL; // the Sentinels name the primary
const PREFIX = `soak:${Date.now()}:`;
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = start(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  ...(sentinels
    ? { REDIS_SENTINELS: sentinels.sentinelsEnv, REDIS_MASTER_NAME: MASTER_NAME, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '500', EVENT_RETENTION: '2000000' }
    : { REDIS_URL: process.env.REDIS_URL || redis!.url }),
  REDIS_PREFIX: PREFIX,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DEMO_PASSWORD: PASSWORD,
  SIMULATOR: 'on',
  // Every screen of a role shares one session here: the per-session live limits would refuse all but a few.
  LIVE_SOCKETS_PER_SESSION: '1000',
  LIVE_RESUMES_PER_MINUTE: '100000',
  SIMULATOR_TICK_MS: '100',
  SIMULATOR_SPEED: '10',
  ALERT_INTERVAL_SECONDS: '5',
  HISTORY_INTERVAL_SECONDS: '5',
  METRICS_TOKEN,
});
// The server's log is read (a pipe nobody reads fills up and stalls the server's writes to it);
// its error lines are counted by message, and SOAK_LOG=1 prints them.
const serverErrors = new Map<string, number>();
lines(server, (line) => {
  if (process.env.SOAK_LOG) console.log(`server: ${line.slice(0, 300)}`);
  const m = /"level":(\d+).*?"msg":"([^"]*)"/.exec(line);
  if (m && Number(m[1]) >= 50) serverErrors.set(m[2]!, (serverErrors.get(m[2]!) ?? 0) + 1);
});
let serverDied = false;
server.once('exit', (code, signal) => {
  if (!stopping) {
    serverDied = true;
    console.log(`server exited during the soak: code ${code} signal ${signal}`);
  }
});
let stopping = false;
await waitHealthy(url);

const roles = ['wall', 'dispatcher', 'commander', 'field'] as const;
const tokens: Record<string, string> = {};
for (const role of roles) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: PASSWORD }),
  });
  tokens[role] = ((await res.json()) as { token: string }).token;
}

/** One screen: follows seq strictly, counts holes, records latencies. */
class Screen {
  seq: number | null = null;
  socket: Socket<LiveServerEvents, LiveClientEvents> | null = null;
  constructor(readonly role: (typeof roles)[number]) {}
  connect(resume: boolean): void {
    const auth: Record<string, unknown> = { token: tokens[this.role] };
    if (resume && this.seq !== null) auth.lastSeq = this.seq;
    else this.seq = null;
    const s: Socket<LiveServerEvents, LiveClientEvents> = io(`${url}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    s.on('snapshot', (snap) => (this.seq = snap.seq));
    s.on('replay', (r) => {
      if (r.after !== this.seq) holes.push(`${this.role}: replay after ${r.after} at ${this.seq}`);
      for (const d of r.deltas) this.apply(d, false);
    });
    s.on('delta', (d) => this.apply(d, true));
    s.on('disconnect', () => (this.socket = null));
    this.socket = s;
  }
  leave(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }
  private apply(d: Delta, live: boolean): void {
    if (this.seq === null) return;
    if ((d.from ?? d.seq) !== this.seq + 1) {
      holes.push(`${this.role}: delta ${d.from ?? d.seq}…${d.seq} at ${this.seq}`);
      this.socket?.emit('resync');
      this.seq = null;
      return;
    }
    this.seq = d.seq;
    deltas++;
    if (live) latencies.push(Date.now() - d.at);
  }
}

const holes: string[] = [];
let latencies: number[] = [];
let deltas = 0;
let joins = 0;
const screens = Array.from({ length: CLIENTS }, (_, i) => new Screen(roles[i % roles.length]!));
for (const s of screens) s.connect(false);

// Churn: every second about 2 % of the screens leave; those gone for a while come back,
// half of them resuming from their last seq, half afresh.
const churn = setInterval(() => {
  for (const s of screens) {
    if (s.socket && Math.random() < 0.02) s.leave();
    else if (!s.socket && Math.random() < 0.3) {
      s.connect(Math.random() < 0.5);
      joins++;
    }
  }
}, 1000);

/** One scrape (prom-client resets its event-loop histogram per scrape): heap and event-loop delay. */
async function scrape(): Promise<{ heapMb: number; eventLoopP99Ms: number }> {
  try {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (name: string) => Number(new RegExp(`^board_process_${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
    return { heapMb: value('nodejs_heap_size_used_bytes') / 2 ** 20, eventLoopP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000 };
  } catch {
    return { heapMb: NaN, eventLoopP99Ms: NaN };
  }
}
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN);
const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

// The failover scenario's writer: queue taps under opIds, each retried until answered 2xx.
const taps: { seq: number; point: string; queue: number }[] = [];
let tapping = FAILOVER;
let killedAt = 0;
let firstAcceptedAfterKill = 0;
let electedMs = NaN;
const tapper = (async () => {
  if (!FAILOVER) return;
  const snap = (await (await fetch(`${url}/api/snapshot`, { headers: { authorization: `Bearer ${tokens.commander}` } })).json()) as {
    collections: { samplingPoints: Record<string, unknown> };
  };
  const point = Object.keys(snap.collections.samplingPoints)[0]!;
  while (tapping) {
    const opId = randomUUID();
    for (let attempt = 0; attempt < 600; attempt++) {
      const sentAt = Date.now();
      const res = await fetch(`${url}/api/sampling-points/${point}/ops`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.commander}`, 'content-type': 'application/json' },
        body: JSON.stringify({ opId, op: { kind: 'queue-add', delta: 1 } }),
      }).catch(() => null);
      if (res?.ok) {
        if (killedAt && sentAt > killedAt && !firstAcceptedAfterKill) firstAcceptedAfterKill = Date.now() - killedAt;
        const body = (await res.json()) as { data: { queue: number }; seq?: number; duplicate?: boolean };
        if (!body.duplicate) taps.push({ seq: body.seq!, point, queue: body.data.queue });
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
})();
let oldPrimary = 0;
const failover = FAILOVER
  ? setTimeout(
      () => {
        void (async () => {
          oldPrimary = await sentinels!.primaryPort();
          sentinels!.node(oldPrimary)!.child.kill('SIGKILL');
          killedAt = Date.now();
          console.log(`failover: primary :${oldPrimary} killed with SIGKILL`);
          await sentinels!.waitForNewPrimary(oldPrimary);
          electedMs = Date.now() - killedAt;
        })().catch((err: unknown) => console.log(`failover failed: ${String(err)}`));
      },
      (SECONDS * 1000) / 2,
    )
  : null;

console.log(
  `soak: ${SECONDS} s, ${CLIENTS} screens (wall, dispatcher, commander, field) connecting and leaving, simulator ×10 (tick 100 ms, time ×10), a line every ${REPORT_MS / 1000} s`,
);
const startedAt = Date.now();
const rss: number[] = [];
const allLatencies: number[] = [];
while (Date.now() - startedAt < SECONDS * 1000 && !serverDied) {
  await new Promise((r) => setTimeout(r, REPORT_MS));
  if (serverDied) break;
  const { rssMb } = procStats(server.pid!);
  rss.push(rssMb);
  const sorted = latencies.sort((a, b) => a - b);
  allLatencies.push(...sorted);
  const t = Math.round((Date.now() - startedAt) / 1000);
  const { heapMb, eventLoopP99Ms } = await scrape();
  console.log(
    `t=${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')} rss: ${rssMb.toFixed(0)} MB heap: ${heapMb.toFixed(0)} MB ` +
      `event-loop p99: ${eventLoopP99Ms.toFixed(1)} ms latency p50: ${pct(sorted, 0.5)} ms p99: ${pct(sorted, 0.99)} ms ` +
      `deltas: ${Math.round((deltas * 1000) / REPORT_MS)}/s screens: ${screens.filter((s) => s.socket?.connected).length} joins: ${joins}`,
  );
  latencies = [];
  deltas = 0;
}
clearInterval(churn);
if (failover) clearTimeout(failover);
tapping = false;
await tapper;
for (const s of screens) s.leave();
let tapsFound = 0;
let tapsUnchecked = 0;
let oldestInLog = 0;
if (sentinels && killedAt) {
  // Every acknowledged tap is in the new primary's event log, under its seq, with the queue it was answered with.
  const primary = new Redis({ host: '127.0.0.1', port: await sentinels.primaryPort() });
  const entries = await primary.xrange(`${PREFIX}events`, '-', '+');
  primary.disconnect();
  // The log keeps EVENT_RETENTION entries (set high above, so that every tap of the run is still
  // in it): a tap older than the log's first entry cannot be checked, and is counted apart.
  oldestInLog = entries.length ? Number(entries[0]![0].split('-')[0]) : Infinity;
  const log = new Map(entries.map(([id, fields]) => [Number(id.split('-')[0]), fields[fields.indexOf('changes') + 1] ?? '[]']));
  tapsUnchecked = taps.filter((t) => t.seq < oldestInLog).length;
  tapsFound = taps.filter((t) => {
    const changes = JSON.parse(log.get(t.seq) ?? '[]') as { entity?: { id: string; queue?: number } }[];
    return changes.some((c) => c.entity?.id === t.point && c.entity.queue === t.queue);
  }).length;
}
stopping = true;
server.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 1000));
server.kill('SIGKILL');
redis?.stop();
await sentinels?.stop();

const third = Math.floor(rss.length / 3);
const middle = median(rss.slice(third, 2 * third));
const last = median(rss.slice(2 * third));
const growth = (last - middle) / middle;
allLatencies.sort((a, b) => a - b);
console.log(`latency.p50: ${pct(allLatencies, 0.5)} ms`);
console.log(`latency.p99: ${pct(allLatencies, 0.99)} ms`);
console.log(`holes-or-duplicates: ${holes.length}${holes.length ? ` (first: ${holes[0]})` : ''}`);
console.log(`memory: middle third median ${middle.toFixed(0)} MB, last third median ${last.toFixed(0)} MB (${(growth * 100).toFixed(1)} %)`);
const judged = SECONDS >= JUDGE_AFTER_S && rss.length >= 6;
const climbs = judged && growth > 0.1;
console.log(`memory.verdict: ${!judged ? 'not judged (run shorter than 10 minutes)' : climbs ? 'CLIMBS' : 'levels off'}`);
if (serverErrors.size > 0) console.log(`server errors: ${[...serverErrors].map(([m, n]) => `${n}× ${m}`).join('; ')}`);
const lost = taps.length - tapsUnchecked - tapsFound;
if (FAILOVER) {
  console.log(`failover.elected: ${electedMs} ms`);
  console.log(`failover.first-accepted-write: ${firstAcceptedAfterKill || NaN} ms`);
  console.log(`failover.taps-acknowledged: ${taps.length}`);
  console.log(`failover.taps-found: ${tapsFound}`);
  if (tapsUnchecked) console.log(`failover.taps-older-than-the-log: ${tapsUnchecked} (not checked: the log starts at seq ${oldestInLog})`);
  console.log(`failover.lost: ${lost}`);
}
process.exit(serverDied || holes.length > 0 || climbs || (FAILOVER && (!killedAt || lost !== 0 || tapsUnchecked !== 0 || !firstAcceptedAfterKill)) ? 1 : 0);
