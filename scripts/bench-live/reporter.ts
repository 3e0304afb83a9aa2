// Load generator: every vehicle reports its position once a second, and sampling
// points change every few seconds, until killed. Positions go in batches, as a fleet
// platform or the JT/T 808 gateway hands them over (INGEST=single: one request per
// fix, as a phone tracker would).
import { positionAt } from './fleet.ts';
const url = process.env.URL!;
const vehicles = (process.env.VEHICLES ?? '').split(',');
const points = (process.env.POINTS ?? '').split(',').filter(Boolean);

// Who sends what, as in a county: positions come from a tracking gateway signed in as a
// dispatcher account; the command center corrects sampling points' queues.
async function signIn(username: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`reporter: signing in as ${username} failed (${res.status})`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'content-type': 'application/json' };
}
const gateway = await signIn('dispatcher');
const commander = await signIn('commander');
let sent = 0;
let failed = 0;
/** Fixes the server took, and refused (its filter: jumps, duplicates, stale times). */
let accepted = 0;
let refused = 0;
const reasons: Record<string, number> = {};
let lastFailure = '';

const post = (path: string, method: string, body: unknown, headers = gateway) =>
  fetch(url + path, { method, headers, body: JSON.stringify(body) })
    .then(async (r) => {
      if (r.ok) {
        // The first taken says the load is on.
        if (++sent === 1) report();
        const body = (await r.json()) as { accepted?: number; refused?: unknown[] | number };
        if (typeof body.accepted === 'number') accepted += body.accepted;
        if (Array.isArray(body.refused)) {
          refused += body.refused.length;
          for (const r of body.refused as { reason: string }[]) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
        }
      } else {
        failed++;
        lastFailure = `${method} ${path.split('/').slice(0, 3).join('/')}: ${r.status}`;
      }
    })
    .catch(() => failed++);

// Spread each second's reports over 20 ticks of 50 ms.
let tick = 0;
setInterval(() => {
  tick++;
  const now = Date.now();
  const fixes = [];
  for (let i = tick % 20; i < vehicles.length; i += 20) {
    fixes.push({ id: vehicles[i]!, ...positionAt(i, now), at: now, speed: 60, heading: 90 });
  }
  if (process.env.INGEST === 'single') {
    for (const { id, ...fix } of fixes) void post(`/api/ambulances/${id}/position`, 'POST', fix);
  } else if (fixes.length) void post('/api/ambulances/positions', 'POST', { fixes });
  // Each sampling point every ~5 s.
  for (let i = tick % 100; i < points.length; i += 100) {
    void post(`/api/sampling-points/${points[i]}`, 'PATCH', { queue: Math.floor(Math.random() * 200) }, commander);
  }
}, 50);
function report() {
  console.log(JSON.stringify({ sent, failed, accepted, refused, reasons, ...(lastFailure ? { lastFailure } : {}) }));
}
setInterval(report, 5000);
