// Load generator: N socket.io clients (a mix of wall, dispatcher and field
// tablets). Once connected, and told to (SIGUSR2), they measure for MEASURE_MS the latency from a
// change's acceptance (the entity's updatedAt) to its arrival, the updates
// delivered and the bytes received; then print one JSON line and exit (with its histograms
// and counts, so an orchestrator running several load processes can merge them exactly).
import { io, type Socket } from 'socket.io-client';
import type { CollectionName, LiveClientEvents, LiveServerEvents, Subscription } from '../../server/schema/index.ts';

const url = process.env.URL!;
const n = Number(process.env.CLIENTS ?? 1000);
const subscribe = process.env.SUBSCRIBE === '1';
const measureMs = Number(process.env.MEASURE_MS ?? 20_000);
const towns = (process.env.TOWNS ?? '').split(',').filter(Boolean);
/** What tablets subscribe to: FIELD_LAYERS, by default what the /field view asks for. */
const fieldLayers = (process.env.FIELD_LAYERS ?? 'samplingPoints,alerts').split(',') as CollectionName[];

async function token(username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

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
const clientsOf = { wall: 0, dispatcher: 0, field: 0 };
let bytes = 0;
let connected = 0;
const sockets: Socket<LiveServerEvents, LiveClientEvents>[] = [];

for (let i = 0; i < n; i++) {
  // 5 % walls, 15 % dispatchers, 80 % field tablets (each its town, when subscriptions are
  // on, as the /field view subscribes: its points and the alerts about them).
  const role = i % 20 === 0 ? 'wall' : i % 20 < 4 ? 'dispatcher' : 'field';
  const sub: Subscription | undefined = subscribe && role === 'field' ? { layers: fieldLayers, area: { town: towns[i % towns.length]! } } : undefined;
  clientsOf[role]++;
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io(`${url}/live`, {
    auth: sub ? { token: tokens[role], subscribe: sub } : { token: tokens[role] },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  socket.once('snapshot', () => connected++);
  socket.io.on('open', () => {
    socket.io.engine.on('data', (d: unknown) => {
      if (measuring) bytes += typeof d === 'string' ? Buffer.byteLength(d) : (d as ArrayBuffer).byteLength;
    });
  });
  socket.on('delta', (delta) => {
    if (!measuring) return;
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
  });
  sockets.push(socket);
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20)); // do not stampede the server
}
const deadline = Date.now() + 120_000;
while (connected < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
console.log(JSON.stringify({ ready: true, connected }));

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
    stillConnected: sockets.filter((s) => s.connected).length,
    seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    state: three(stateLatency),
    moveWall: three(moveLatency.wall),
    moveDispatcher: three(moveLatency.dispatcher),
    moveField: three(moveLatency.field),
    updatesPerSecond: updates / seconds,
    /** Updates each screen of a kind got per second. */
    perClient: Object.fromEntries((['wall', 'dispatcher', 'field'] as const).map((r) => [r, updatesOf[r] / Math.max(1, clientsOf[r]) / seconds])),
    bytesPerClientPerSecond: bytes / n / seconds,
    counts: { clients: n, updates, bytes, updatesOf, clientsOf },
    hist: { all: sparse(latency), state: sparse(stateLatency), wall: sparse(moveLatency.wall), dispatcher: sparse(moveLatency.dispatcher), field: sparse(moveLatency.field) },
  }),
);
for (const s of sockets) s.close();
process.exit(0);
