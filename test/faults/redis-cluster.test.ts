// Two boards of two counties on one Redis Cluster (REDIS_CLUSTER): 瓜州县 (the sample data) and
// 三台县 (generated), each a server process keyed under its county's hash tag, {620922}: and
// {510722}:, which the cluster serves from two different shards. Writes go through both at once
// (queue taps, ambulance positions); afterwards each board's keys are all on its own shard, its
// state holds exactly its own writes, and a live screen on each followed its own board alone,
// every seq once and in order, ending equal to its store.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../server/schema/index.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { generateInTemp, type GeneratedCounty } from '../helpers/counties.ts';
import { LiveFollower } from '../helpers/live-follower.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { track } from '../helpers/process.ts';
import { DEMO_PASSWORD, login } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let cluster: TestCluster;
let santai: GeneratedCounty;
const boards: { name: string; prefix: string; server: ServerProcess }[] = [];

beforeAll(async () => {
  const t0 = Date.now();
  cluster = await startCluster(3);
  const t1 = Date.now();
  santai = generateInTemp('510722', 600);
  const t2 = Date.now();
  const env = { REDIS_CLUSTER: cluster.clusterEnv, DEMO_PASSWORD, ALERT_INTERVAL_SECONDS: '3600', LOGIN_RATE_LIMIT: '1000' };
  // One after the other: two starting at once on a loaded machine can each outlast the helper's 30 s.
  for (const [name, prefix, dataDir] of [
    ['guazhou', '{620922}:', undefined],
    ['santai', '{510722}:', santai.dir],
  ] as const) {
    const server = await startServerProcess({ ...env, ...(dataDir ? { DATA_DIR: dataDir } : {}) });
    track(server.child);
    boards.push({ name, prefix, server });
  }
  console.log(`redis cluster: started in ${t1 - t0} ms, 三台县 generated in ${t2 - t1} ms, both boards answering ${Date.now() - t2} ms later`);
}, 120_000);
afterAll(async () => {
  for (const b of boards) await b.server.stop();
  await cluster?.stop();
  santai?.remove();
});

it('runs two counties on one cluster, each board on its own shard, its state and live stream its own', async () => {
  // The two hash tags are served by two different shards: the boards spread over the cluster.
  const shards = await Promise.all(boards.map((b) => cluster.shardOf(`${b.prefix}seq`)));
  expect(shards[0]!.port).not.toBe(shards[1]!.port);

  const sessions = await Promise.all(boards.map(async (b) => ({ commander: await login(b.server.url, 'commander'), dispatcher: await login(b.server.url, 'dispatcher') })));
  // A session is its board's: the other county's board does not know it.
  const other = await fetch(`${boards[1]!.server.url}/api/snapshot`, { headers: { authorization: `Bearer ${sessions[0]!.commander}` } });
  expect(other.status).toBe(401);

  const snapshotOf = async (i: number) =>
    (await (await fetch(`${boards[i]!.server.url}/api/snapshot`, { headers: { authorization: `Bearer ${sessions[i]!.commander}` } })).json()) as Snapshot;
  const before = await Promise.all([0, 1].map(snapshotOf));
  // Both counties' data number their points alike (SP001…): santai taps other ids than guazhou, so a
  // tap that reached the wrong board would show on a point of the same id there.
  const guazhouPoints = Object.keys(before[0]!.collections.samplingPoints).slice(0, 3);
  const points = [
    guazhouPoints,
    Object.keys(before[1]!.collections.samplingPoints)
      .filter((p) => !guazhouPoints.includes(p))
      .slice(0, 3),
  ];
  const units = before.map((s) =>
    Object.keys(s.collections.ambulances)
      .filter((id) => s.collections.ambulances[id]!.fix)
      .slice(0, 3),
  );
  const shared = guazhouPoints.filter((p) => before[1]!.collections.samplingPoints[p]);

  const screens = boards.map((b, i) => {
    const s = new LiveFollower(b.server.url, sessions[i]!.commander);
    s.connect();
    return s;
  });
  await waitFor(() => screens.every((s) => s.collections), 'both screens have their snapshot');

  const post = async (i: number, path: string, token: string, body: unknown) => {
    const res = await fetch(`${boards[i]!.server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, `${boards[i]!.name} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as { seq?: number };
  };
  // Through both boards at once: taps on three points of each, and positions of three units of each.
  const TAPS = 8;
  const writes = [0, 1].flatMap((i) => [
    ...points[i]!.map(async (point) => {
      for (let n = 0; n < TAPS; n++) await post(i, `/api/sampling-points/${point}/ops`, sessions[i]!.commander, { opId: randomUUID(), op: { kind: 'queue-add', delta: 1 } });
    }),
    ...units[i]!.map(async (unit) => {
      const { lng, lat } = before[i]!.collections.ambulances[unit]!.fix!;
      for (let n = 1; n <= 5; n++) {
        await post(i, `/api/ambulances/${unit}/position`, sessions[i]!.dispatcher, { lng: lng + n * 1e-5, lat, at: Date.now() });
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  ]);
  await Promise.all(writes);

  const after = await Promise.all([0, 1].map(snapshotOf));
  for (const i of [0, 1]) {
    const name = boards[i]!.name;
    // Every tap through this board counted on it, once.
    for (const p of points[i]!) expect(after[i]!.collections.samplingPoints[p]!.queue - before[i]!.collections.samplingPoints[p]!.queue, `${name} ${p}`).toBe(TAPS);
    expect(after[i]!.seq, name).toBeGreaterThanOrEqual(before[i]!.seq + points[i]!.length * TAPS);
    // The screen followed this board alone: each seq once, in order, ending equal to the store.
    await waitFor(() => screens[i]!.seq >= after[i]!.seq, `${name}'s screen at seq ${after[i]!.seq}`, 15_000);
    expect(screens[i]!.outOfOrder, name).toEqual([]);
    expect(screens[i]!.seq, name).toBe(after[i]!.seq);
    expect(screens[i]!.collections, name).toEqual(after[i]!.collections);
  }

  // Guazhou's taps reached none of santai's points of the same ids.
  for (const p of shared) expect(after[1]!.collections.samplingPoints[p]!.queue, `santai ${p}`).toBe(before[1]!.collections.samplingPoints[p]!.queue);

  // Every key of a board is under its hash tag and on its shard; no other key anywhere.
  const keysOn = await Promise.all(cluster.nodes.map((n) => cluster.ask(n.port, (c) => c.keys('*'))));
  cluster.nodes.forEach((node, n) => {
    for (const key of keysOn[n]!) {
      const owner = boards.findIndex((b) => key.startsWith(b.prefix));
      expect(owner, `${key} on ${node.port}`).toBeGreaterThanOrEqual(0);
      expect(node.port, key).toBe(shards[owner]!.port);
    }
  });
  for (const [i, b] of boards.entries()) {
    const events = await cluster.ask(shards[i]!.port, (c) => c.xlen(`${b.prefix}events`));
    expect(events, b.name).toBe(after[i]!.seq);
  }
  console.log(
    boards
      .map(
        (b, i) =>
          `redis cluster: ${b.name} under ${b.prefix} in slot ${shards[i]!.slot} on :${shards[i]!.port}, seq ${before[i]!.seq} → ${after[i]!.seq}, screen ${screens[i]!.seq}, ${keysOn.flat().filter((k) => k.startsWith(b.prefix)).length} keys`,
      )
      .join('\n'),
  );
  for (const s of screens) s.disconnect();
}, 60_000);
