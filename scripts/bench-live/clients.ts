// Load generator: N screens (a mix of wall, dispatcher and field tablets) on the live
// socket. Once connected, and told to (SIGUSR2), they measure for MEASURE_MS the latency from a
// change's acceptance (the entity's updatedAt) to its arrival, the updates
// delivered and the bytes received; then print one JSON line and exit (with its histograms
// and counts, so an orchestrator running several load processes can merge them exactly).
//
// Each screen is one WebSocket speaking socket.io's protocol itself (engine.io 4: `0` open,
// `2` ping → `3` pong, `4` + a socket.io packet: `0/live,{auth}` connect, `2/live,[event, data]`),
// so that a load process spends its time receiving, not in a client library: at thousands of
// screens on two cores the socket.io-client stack was the first thing to run out. Every
// screen counts its bytes; the probes (PROBE_SHARE of the screens, 1 by default: all; whole
// blocks of 20, so every kind of screen is among them) also parse every delta and time
// each update in it. Updates delivered are counted by the probes and scaled to all.
import WebSocket from 'ws';
import type { CollectionName, Delta, Subscription } from '../../server/schema/index.ts';

const url = process.env.URL!;
const n = Number(process.env.CLIENTS ?? 1000);
const subscribe = process.env.SUBSCRIBE === '1';
const measureMs = Number(process.env.MEASURE_MS ?? 20_000);
const towns = (process.env.TOWNS ?? '').split(',').filter(Boolean);
/** What tablets subscribe to: FIELD_LAYERS, by default what the /field view asks for. */
const fieldLayers = (process.env.FIELD_LAYERS ?? 'samplingPoints,alerts').split(',') as CollectionName[];
/** Every how many blocks of 20 screens one is a probe block (PROBE_SHARE 0.1: every 10th). */
const probeEvery = Math.max(1, Math.round(1 / Math.min(1, Math.max(0.001, Number(process.env.PROBE_SHARE ?? 1)))));
const isProbe = (i: number) => Math.floor(i / 20) % probeEvery === 0;

async function token(username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

type Role = 'wall' | 'dispatcher' | 'field';

const tokens = { wall: await token('wall'), dispatcher: await token('dispatcher'), field: await token('field') };
// One bucket per ms, the last for ≥ 60 s: every update; state changes (not movement); and
// positions by the screen's kind (their frames are held on purpose: LIVE_FRAME_MS, FIELD_FRAME_MS).
const histogram = (): Uint32Array => new Uint32Array(60_001);
const latency = histogram();
const stateLatency = histogram();
const moveLatency = { wall: histogram(), dispatcher: histogram(), field: histogram() };
const record = (h: Uint32Array, ms: number) => h[Math.min(60_000, Math.max(0, ms))]!++;
let measuring = false;
let updates = 0;
const updatesOf = { wall: 0, dispatcher: 0, field: 0 };
let bytes = 0;
let connected = 0;
let probes = 0;
/** Connections tried again after failing before their snapshot. */
let retries = 0;
/** Probes of each kind: the per-screen figures are theirs. */
const probesOf = { wall: 0, dispatcher: 0, field: 0 };
const sockets: WebSocket[] = [];
const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
const SNAPSHOT = Buffer.from('42/live,["snapshot"');
const DELTA = '42/live,["delta",';

/** A delta's updates, timed from their acceptance to now. */
function timeDelta(delta: Delta, role: Role): void {
  const now = Date.now();
  for (const c of delta.changes) {
    if (c.op !== 'upsert') continue;
    updates++;
    updatesOf[role]++;
    const ms = now - c.entity.updatedAt;
    record(latency, ms);
    // A whole vehicle is movement too (the baseline sends nothing else).
    if (c.collection === 'ambulances') record(moveLatency[role], ms);
    else record(stateLatency, ms);
  }
  // A vehicle that only moved: [id, lng, lat, fix time, speed, heading, gridId, updatedAt].
  for (const m of delta.moves ?? []) {
    updates++;
    updatesOf[role]++;
    record(latency, now - m[7]);
    record(moveLatency[role], now - m[7]);
  }
}

const connectStart = Date.now();
for (let i = 0; i < n; i++) {
  // 5 % walls, 15 % dispatchers, 80 % field tablets (each its town, when subscriptions are
  // on, as the /field view subscribes: its points and the alerts about them).
  const role: Role = i % 20 === 0 ? 'wall' : i % 20 < 4 ? 'dispatcher' : 'field';
  const sub: Subscription | undefined = subscribe && role === 'field' ? { layers: fieldLayers, area: { town: towns[i % towns.length]! } } : undefined;
  const probe = isProbe(i);
  if (probe) {
    probes++;
    probesOf[role]++;
  }
  open(i, role, sub, probe, 0);
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20)); // do not stampede the server
}

/**
 * One screen's socket. A connection refused or cut before its snapshot is tried again after
 * 1 to 5 s, as socket.io-client's reconnection does (1 s doubling to 5 s, randomised by half):
 * on a connect storm (every screen at once, as after a restart) a real screen retries.
 */
function open(i: number, role: Role, sub: Subscription | undefined, probe: boolean, attempt: number): void {
  const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
  sockets[i] = socket;
  let joined = false;
  let retried = false;
  const retry = (why: string) => {
    if (joined || retried || attempt >= 20) return;
    retried = true;
    retries++;
    if (retries <= 5) console.error(`screen ${i}: ${why}, trying again`);
    const delay = Math.min(5000, 1000 * 2 ** attempt) * (0.5 + Math.random());
    setTimeout(() => open(i, role, sub, probe, attempt + 1), delay);
  };
  socket.on('message', (data: Buffer) => {
    if (measuring) bytes += data.length;
    const type = data[0];
    if (type === 0x32 /* 2: ping */) return socket.send('3');
    if (type === 0x30 /* 0: open */) return socket.send(`40/live,${JSON.stringify(sub ? { token: tokens[role], subscribe: sub } : { token: tokens[role] })}`);
    if (type !== 0x34 /* 4: a socket.io packet */) return;
    if (!joined) {
      if (data.subarray(0, SNAPSHOT.length).equals(SNAPSHOT)) {
        joined = true;
        connected++;
      } else if (data[1] === 0x34 /* 44: connect refused */) console.error(`screen ${i} refused: ${data.toString()}`);
      return;
    }
    if (!measuring || !probe) return;
    const text = data.toString();
    if (text.startsWith(DELTA)) timeDelta(JSON.parse(text.slice(DELTA.length, -1)) as Delta, role);
  });
  socket.on('error', (err) => retry(err.message));
  socket.on('close', () => retry('closed before its snapshot'));
}
const deadline = Date.now() + 120_000;
while (connected < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
console.log(JSON.stringify({ ready: true, connected, retries, connectMs: Date.now() - connectStart }));

// The orchestrator starts the load on `ready`, and says when to measure (SIGUSR2).
await new Promise((r) => process.once('SIGUSR2', r));
measuring = true;
const started = Date.now();
await new Promise((r) => setTimeout(r, measureMs));
measuring = false;
const seconds = (Date.now() - started) / 1000;

const pct = (p: number, h = latency) => {
  const total = h.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < h.length; ms++) {
    seen += h[ms]!;
    if (seen >= total * p) return ms;
  }
  return NaN;
};
const three = (h: Uint32Array) => [pct(0.5, h), pct(0.95, h), pct(0.99, h)];
/** [ms, count] of every non-empty bucket. */
const sparse = (h: Uint32Array): [number, number][] => {
  const out: [number, number][] = [];
  for (let ms = 0; ms < h.length; ms++) if (h[ms]) out.push([ms, h[ms]!]);
  return out;
};
console.log(
  JSON.stringify({
    done: true,
    connected,
    stillConnected: sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
    seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    state: three(stateLatency),
    moveWall: three(moveLatency.wall),
    moveDispatcher: three(moveLatency.dispatcher),
    moveField: three(moveLatency.field),
    updatesPerSecond: (updates * (n / Math.max(1, probes))) / seconds,
    /** Updates each screen of a kind got per second. */
    perClient: Object.fromEntries((['wall', 'dispatcher', 'field'] as const).map((r) => [r, updatesOf[r] / Math.max(1, probesOf[r]) / seconds])),
    bytesPerClientPerSecond: bytes / n / seconds,
    counts: { clients: n, probes, updates, bytes, updatesOf, probesOf },
    hist: { all: sparse(latency), state: sparse(stateLatency), wall: sparse(moveLatency.wall), dispatcher: sparse(moveLatency.dispatcher), field: sparse(moveLatency.field) },
  }),
);
for (const s of sockets) s.close();
process.exit(0);
