// `npm run bench:wait`: what a replica's confirmation (REDIS_WAIT_REPLICAS=1) costs a write.
// A real redis-server primary and one replica on this machine; the store's own write path
// (the atomic Lua step, then WAIT in the same round trip) for one sampling point at a time,
// without and with WAIT, alternating rounds so that both see the same machine. Prints the
// median and p99 µs per write one at a time, and writes per second with 16 in flight.
//
// BENCH_WRITES (2000) sets the writes per round; BENCH_ROUNDS (3) the rounds of each.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisStore } from '../server/store/redis-store.ts';
import type { SamplingPoint } from '../server/schema/index.ts';
import { freePort } from './lib/processes.ts';

const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'bench-wait-'));
const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const redisServer = (port: number, args: string[]) => {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', `${port}.rdb`, '--repl-diskless-sync-delay', '0', ...args],
    { stdio: 'ignore' },
  );
  children.push(child);
};
const primaryPort = await freePort();
const replicaPort = await freePort();
redisServer(primaryPort, []);
await new Promise((r) => setTimeout(r, 300));
redisServer(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort)]);
const probe = new Redis({ port: primaryPort, host: '127.0.0.1' });
for (let i = 0; !/state=online/.test(await probe.info('replication')); i++) {
  if (i > 100) throw new Error('the replica did not sync');
  await new Promise((r) => setTimeout(r, 100));
}
probe.disconnect();

const url = `redis://127.0.0.1:${primaryPort}`;
const point = (queue: number): SamplingPoint => ({
  id: 'sp-bench',
  name: '采样点 bench',
  location: [95.78, 40.52],
  gridId: null,
  updatedAt: queue,
  kind: 'convenience',
  serves: 'all',
  hours: null,
  status: 'open',
  queue,
  desks: 2,
  deskThroughput: 150,
  samplesToday: 0,
  stock: { swabs: 500, tubes: 50 },
});

const admin = new Redis({ port: primaryPort, host: '127.0.0.1' });
/** WAIT commands the primary has run (its commandstats). */
const waitCalls = async () => Number(/cmdstat_wait:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
const writesPerWait: number[] = [];

async function round(waitReplicas: number): Promise<{ perWriteUs: number[]; parallelPerSecond: number }> {
  const store = new RedisStore({ url, prefix: `bench:${waitReplicas}:${Date.now()}:`, waitReplicas, waitTimeoutMs: 1000 });
  try {
    await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: point(0) }], 0);
    const perWriteUs: number[] = [];
    for (let i = 1; i <= WRITES; i++) {
      const t = process.hrtime.bigint();
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: point(i) }], i);
      perWriteUs.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    // 16 writers at once, as many requests of one process would be.
    const waitsBefore = await waitCalls();
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < WRITES) {
          const i = ++next;
          await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: point(i) }], i);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (waitReplicas > 0) writesPerWait.push(WRITES / Math.max(1, (await waitCalls()) - waitsBefore));
    return { perWriteUs, parallelPerSecond: WRITES / seconds };
  } finally {
    await store.close();
  }
}

const results = { 0: { us: [] as number[], rate: [] as number[] }, 1: { us: [] as number[], rate: [] as number[] } };
await round(0); // warm-up: scripts loaded, JIT warm
for (let r = 0; r < ROUNDS; r++) {
  for (const wait of [0, 1] as const) {
    const { perWriteUs, parallelPerSecond } = await round(wait);
    results[wait].us.push(...perWriteUs);
    results[wait].rate.push(parallelPerSecond);
  }
}
const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const without = median(results[0].us);
const withWait = median(results[1].us);
console.log(`write.median.no-wait: ${without.toFixed(0)} µs`);
console.log(`write.median.wait-1: ${withWait.toFixed(0)} µs`);
console.log(`write.p99.no-wait: ${quantile(results[0].us, 0.99).toFixed(0)} µs`);
console.log(`write.p99.wait-1: ${quantile(results[1].us, 0.99).toFixed(0)} µs`);
console.log(`write.wait-cost.median: ${(withWait - without).toFixed(0)} µs`);
console.log(`writes.16-in-flight.no-wait: ${median(results[0].rate).toFixed(0)} /s`);
console.log(`writes.16-in-flight.wait-1: ${median(results[1].rate).toFixed(0)} /s`);
console.log(`writes.16-in-flight.per-wait: ${median(writesPerWait).toFixed(1)} writes`);
admin.disconnect();
process.exit(0);
