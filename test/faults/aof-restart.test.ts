// The production Redis configuration (append-only file, fsync every second) keeps the
// board's state across a crash: writers apply a known workload, Redis is killed with
// SIGKILL mid-stream and restarted on its files, and every write acknowledged more than
// a second before the kill is there, with its event in the stream, in seq order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RedisStore } from '../../server/store/redis-store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';

const AOF = ['--appendonly', 'yes', '--appendfsync', 'everysec'];
const dir = mkdtempSync(join(tmpdir(), 'redis-aof-'));
let redis: TestRedis | undefined;
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Ack {
  id: string;
  queue: number;
  seq: number;
  at: number;
}

it('keeps every write acknowledged more than a second before a SIGKILL', async () => {
  const port = await freePort();
  redis = await startRedis({ args: AOF, port, dir });
  const store = new RedisStore({ url: redis.url, prefix: 'aof:', eventRetention: 100_000 });
  const acks: Ack[] = [];
  let killed = false;
  // Four writers, each rewriting its own 50 points with rising queue counts.
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const id = `AOF-${w}-${i % 50}`;
      try {
        const delta = await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint(id, { queue: i }) }], Date.now());
        acks.push({ id, queue: i, seq: delta.seq, at: Date.now() });
      } catch {
        return; // Redis is gone: this write was never acknowledged
      }
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  await new Promise((r) => setTimeout(r, 3000));
  killed = true;
  redis.process!.kill('SIGKILL');
  const killedAt = Date.now();
  await Promise.all(writers);
  store.redis.disconnect();

  redis = await startRedis({ args: AOF, port, dir });
  const after = new RedisStore({ url: redis.url, prefix: 'aof:', eventRetention: 100_000 });
  const snapshot = await after.snapshot();
  const old = acks.filter((a) => a.at < killedAt - 1000);
  expect(old.length).toBeGreaterThan(500);
  // The latest acknowledged value of each point, among the old writes…
  const expected = new Map<string, Ack>();
  for (const a of old) if ((expected.get(a.id)?.seq ?? -1) < a.seq) expected.set(a.id, a);
  // …is there, or a later acknowledged one is (the point was written again after).
  const latest = new Map<string, Ack>();
  for (const a of acks) if ((latest.get(a.id)?.seq ?? -1) < a.seq) latest.set(a.id, a);
  for (const [id, a] of expected) {
    const queue = snapshot.collections.samplingPoints[id]?.queue;
    expect(queue, id).toBeGreaterThanOrEqual(a.queue);
    expect(queue, id).toBeLessThanOrEqual(latest.get(id)!.queue);
  }
  const maxOldSeq = Math.max(...old.map((a) => a.seq));
  expect(snapshot.seq).toBeGreaterThanOrEqual(maxOldSeq);
  // The event stream came back too: a screen can still resume from before the crash.
  const deltas = await after.deltasSince(maxOldSeq - 200);
  expect(deltas?.[0]?.seq).toBe(maxOldSeq - 199);
  deltas!.forEach((d, i) => expect(d.seq).toBe(maxOldSeq - 199 + i));
  const survived = acks.filter((a) => a.seq <= snapshot.seq).length;
  console.log(
    `aof restart: ${acks.length} writes acknowledged, ${old.length} over a second before the kill, all present; ` +
      `${survived} of ${acks.length} acknowledged writes survived (seq ${snapshot.seq} after restart)`,
  );
  await after.close();
}, 60_000);

/** A store tailing the event stream: the seqs it delivered, the resets it signalled, and a writer. */
async function tail(url: string) {
  const store = new RedisStore({ url, prefix: 'tail:' });
  const feed = { store, seen: [] as number[], resets: 0 };
  await store.subscribe(
    (d) => feed.seen.push(d.seq),
    () => feed.resets++,
  );
  const write = (id: string) => store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint(id) }], Date.now());
  return { store, seen: feed.seen, feed, write };
}

it('a process tailing the event stream is told to reload when the store comes back with fewer events', async () => {
  // Without persistence Redis returns empty: the next event is seq 1 again, not seq N+1.
  const port = await freePort();
  let bare = await startRedis({ port });
  const { store, seen, feed, write } = await tail(bare.url);
  for (let i = 0; i < 5; i++) await write(`G-${i}`);
  await waitFor(() => seen.length === 5, 'five events');
  bare.process!.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  bare = await startRedis({ port });
  try {
    await waitFor(() => feed.resets === 1, 'a reset');
    // From the reset on, the feed follows the new timeline, in order.
    const applied = [await write('G-after-1'), await write('G-after-2')];
    await waitFor(() => seen.at(-1) === applied[1]!.seq, 'the new events');
    expect(seen.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.slice(5)).toEqual(applied.map((d) => d.seq));
    expect(applied[0]!.seq).toBe(1);
  } finally {
    await store.close();
    await bare.stop();
  }
}, 60_000);

it('a reader whose connection drops while the store keeps its events carries on without a reset', async () => {
  const port = await freePort();
  const kept = await startRedis({ port });
  const { store, seen, feed, write } = await tail(kept.url);
  try {
    for (let i = 0; i < 3; i++) await write(`K-${i}`);
    await waitFor(() => seen.length === 3, 'three events');
    // Redis closes every client connection (as on a failover), keeping its data.
    await store.redis.call('CLIENT', 'KILL', 'TYPE', 'normal');
    for (let i = 3; i < 6; i++) await waitFor(() => write(`K-${i}`).catch(() => undefined), 'a write after the drop');
    await waitFor(() => seen.length === 6, 'six events');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(feed.resets).toBe(0);
  } finally {
    await store.close();
    await kept.stop();
  }
}, 60_000);
