// Load generator: N socket.io clients (a mix of wall, dispatcher and field
// tablets). After connecting they measure, for MEASURE_MS, the latency from a
// change's acceptance (the entity's updatedAt) to its arrival, the updates
// delivered and the bytes received; then print one JSON line and exit.
import { io, type Socket } from 'socket.io-client';
import type { LiveClientEvents, LiveServerEvents, Subscription } from '../../server/schema/index.ts';

const url = process.env.URL!;
const n = Number(process.env.CLIENTS ?? 1000);
const subscribe = process.env.SUBSCRIBE === '1';
const measureMs = Number(process.env.MEASURE_MS ?? 20_000);
const towns = (process.env.TOWNS ?? '').split(',').filter(Boolean);

async function token(username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

const tokens = { wall: await token('wall'), dispatcher: await token('dispatcher'), field: await token('field') };
const latency = new Uint32Array(60_001); // one bucket per ms, the last for ≥ 60 s
let measuring = false;
let updates = 0;
let bytes = 0;
let connected = 0;
const sockets: Socket<LiveServerEvents, LiveClientEvents>[] = [];

for (let i = 0; i < n; i++) {
  // 5 % walls, 15 % dispatchers, 80 % field tablets (each its town, when subscriptions are on).
  const role = i % 20 === 0 ? 'wall' : i % 20 < 4 ? 'dispatcher' : 'field';
  const sub: Subscription | undefined =
    subscribe && role === 'field' ? { layers: ['samplingPoints', 'ambulances'], area: { town: towns[i % towns.length]! } } : undefined;
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
      latency[Math.min(60_000, Math.max(0, now - c.entity.updatedAt))]!++;
    }
  });
  sockets.push(socket);
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20)); // do not stampede the server
}
const deadline = Date.now() + 120_000;
while (connected < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
console.log(JSON.stringify({ ready: true, connected }));

// The orchestrator starts the load on `ready`; give it a moment, then measure.
await new Promise((r) => setTimeout(r, 3000));
measuring = true;
const started = Date.now();
await new Promise((r) => setTimeout(r, measureMs));
measuring = false;
const seconds = (Date.now() - started) / 1000;

const pct = (p: number) => {
  const total = latency.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < latency.length; ms++) {
    seen += latency[ms]!;
    if (seen >= total * p) return ms;
  }
  return NaN;
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
    updatesPerSecond: updates / seconds,
    bytesPerClientPerSecond: bytes / n / seconds,
  }),
);
for (const s of sockets) s.close();
process.exit(0);
