// Two servers on one Redis, each with its own store connection (as two processes
// would be): seeded once, and a change accepted by one reaches the other's clients.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Delta, Snapshot } from '../../server/schema/index.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectLive } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

let redis: TestRedis;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([startTestServer({ redis }), startTestServer({ redis })]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

it('seeds once, and a change through server A reaches a client of server B in order', async () => {
  // One seed delta and nothing else: the second server found the county already seeded.
  expect(await a.store.seq()).toBe(1);
  const token = await login(b.url, 'wall');
  const client = connectLive(b.url, { token });
  const deltas: Delta[] = [];
  const snapshot = await new Promise<Snapshot>((resolve) => client.on('snapshot', resolve));
  client.on('delta', (d) => deltas.push(d));

  const point = Object.keys(snapshot.collections.samplingPoints)[0]!;
  const fieldToken = await login(a.url, 'commander');
  for (let i = 1; i <= 5; i++) {
    const res = await fetch(`${a.url}/api/sampling-points/${point}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fieldToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue: 100 + i }),
    });
    expect(res.status).toBe(200);
  }
  await waitFor(() => deltas.length >= 5, '5 deltas through the other server', 5000, 10);
  expect(deltas.map((d) => d.seq)).toEqual([2, 3, 4, 5, 6]);
  const last = deltas.at(-1)!.changes[0]!;
  expect(last.op === 'upsert' && last.collection === 'samplingPoints' && last.entity.queue).toBe(105);
  client.close();
});
