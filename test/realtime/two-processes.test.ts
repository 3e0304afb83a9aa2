// Two server processes on one Redis, as in production behind a load balancer:
// a change accepted by one reaches the clients of the other, in order.
import { beforeAll, expect, it } from 'vitest';
import type { Delta, Snapshot } from '../../server/schema/index.ts';
import type { ServerProcess } from '../helpers/process.ts';
import { login } from '../helpers/server.ts';
import { useTwoProcesses } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive } from '../helpers/live.ts';

const env = useTwoProcesses();
let a: ServerProcess;
let b: ServerProcess;

beforeAll(() => {
  ({ a, b } = env.procs);
});

it('a change through process A reaches a client of process B, in seq order, and both agree', async () => {
  // One CI run had this first sign-in refused (401) right after both processes answered
  // /api/health, not reproduced since: retried for a while, and the servers' logs printed
  // when it was, so that a next occurrence says why.
  let token = '';
  let attempts = 0;
  const logs = () => console.log(`sign-in needed ${attempts} attempts; a:\n${a.output()}\nb:\n${b.output()}`);
  await waitFor(async () => (attempts++, (token = await login(a.url, 'wall').catch(() => ''))), 'the wall signs in on process a', 10_000, 250).catch((err: unknown) => {
    logs();
    throw err;
  });
  if (attempts > 1) logs();
  // A session made by one process is honoured by the other: both read it from Redis.
  const client = connectLive(b.url, { token });
  const deltas: Delta[] = [];
  const snapshot = await new Promise<Snapshot>((resolve, reject) => {
    client.on('snapshot', resolve);
    client.on('connect_error', reject);
  });
  client.on('delta', (d) => deltas.push(d));
  // Seeded once, by one of the two (seq 1); the alert rules, run by both at start, raise
  // the sample's alerts once between them, and the report job brings the seeded sites to
  // the county's day once between them (one more seq each, maybe after this snapshot).
  expect(snapshot.seq).toBeLessThanOrEqual(3);
  expect(Object.keys(snapshot.collections.samplingPoints).length).toBe(100);

  const points = Object.keys(snapshot.collections.samplingPoints).slice(0, 4);
  const fieldToken = await login(b.url, 'commander');
  for (let i = 0; i < 20; i++) {
    const target = i % 2 === 0 ? a : b; // writes through both processes
    const res = await fetch(`${target.url}/api/sampling-points/${points[i % points.length]}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fieldToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue: 200 + i }),
    });
    expect(res.status).toBe(200);
  }
  const finalSeq = ((await (await fetch(`${a.url}/api/health`)).json()) as { seq: number }).seq;
  expect(finalSeq).toBeGreaterThanOrEqual(snapshot.seq + 20);
  await waitFor(() => deltas.at(-1)?.seq === finalSeq, `process b's screen at seq ${finalSeq}`, 10_000, 20);
  // Frames (on by default) may coalesce: together they cover every seq after the snapshot once each, in order.
  let next = snapshot.seq + 1;
  for (const d of deltas) {
    expect(d.from ?? d.seq).toBe(next);
    next = d.seq + 1;
  }
  expect(next).toBe(finalSeq + 1);

  const [snapA, snapB] = await Promise.all([a, b].map(async (p) => (await fetch(`${p.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()));
  expect(snapA).toMatchObject({ seq: finalSeq });
  expect(snapB.collections).toEqual(snapA.collections);
  client.close();
}, 60_000);
