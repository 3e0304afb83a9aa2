// Two server processes behind one Redis; one is killed with SIGKILL under a stream of
// writes. Its screens reconnect to the other (as a load balancer would send them),
// resume from the last seq they applied, and end with exactly the store's state:
// no delta twice, none missing.
import { beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../server/schema/index.ts';
import { LiveFollower } from '../helpers/live-follower.ts';
import type { ServerProcess } from '../helpers/process.ts';
import { login } from '../helpers/server.ts';
import { useTwoProcesses } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

const env = useTwoProcesses();
let a: ServerProcess;
let b: ServerProcess;

beforeAll(() => {
  ({ a, b } = env.procs);
});

it('screens of a killed process resume on the other one with exactly the store state', async () => {
  const roles = ['wall', 'dispatcher', 'commander', 'field'];
  const tokens = await Promise.all(roles.map((r) => login(b.url, r)));
  // Twelve screens on A, of every role (their frame rates differ).
  const screens = Array.from({ length: 12 }, (_, i) => new LiveFollower(a.url, tokens[i % roles.length]!));
  for (const s of screens) s.connect();
  await waitFor(() => screens.every((s) => s.collections), 'every screen has its snapshot');

  const commander = tokens[2]!;
  const points = Object.keys(screens[0]!.collections!.samplingPoints).slice(0, 10);
  let writing = true;
  let accepted = 0;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const res = await fetch(`${b.url}/api/sampling-points/${points[i % points.length]}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${commander}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queue: i % 300 }),
      });
      expect(res.status).toBe(200);
      accepted++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  await new Promise((r) => setTimeout(r, 1500));
  const before = accepted;
  a.child.kill('SIGKILL');
  const killedAt = Date.now();
  await waitFor(() => screens.every((s) => !s.connected), 'every screen of A notices');
  // The load balancer's part: the next connection goes to B, naming the last seq applied.
  for (const s of screens) {
    s.disconnect();
    s.connect(b.url);
  }
  await waitFor(() => screens.every((s) => s.connected && s.replays === 1), 'every screen resumed on B');
  const resumedMs = Date.now() - killedAt;
  await new Promise((r) => setTimeout(r, 1000));
  writing = false;
  await writer;
  expect(accepted).toBeGreaterThan(before); // writes went on throughout

  // The store as each role sees it (the wall's names are blanked).
  const stores = await Promise.all(
    tokens.map(async (token) => (await (await fetch(`${b.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()) as Snapshot),
  );
  expect(new Set(stores.map((s) => s.seq)).size).toBe(1);
  await waitFor(() => screens.every((s) => s.seq === stores[0]!.seq), 'every screen reaches the store seq');
  screens.forEach((s, i) => {
    expect(s.outOfOrder).toEqual([]);
    expect(s.snapshots).toBe(1); // the first one only: the rest came as replay and deltas
    expect(s.collections).toEqual(stores[i % roles.length]!.collections);
  });
  console.log(
    `process killed: ${accepted} writes accepted, ${screens.length} screens resumed on the other process ${resumedMs} ms after the kill, none with a hole or a duplicate`,
  );
  for (const s of screens) s.disconnect();
}, 90_000);
