// The Redis store with REDIS_WAIT_REPLICAS=1 on a real primary and replica: the whole
// contract again, then what WAIT adds. A write no replica confirms in time is refused
// (StoreUnavailableError, a 503 at the edge), a repeat of it is answered only once it is
// confirmed, and subscribers are handed nothing a replica does not hold yet. The replica
// is paused with SIGSTOP (it stays connected, as a slow or cut-off replica does).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../server/schema/index.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import { StoreUnavailableError } from '../../server/store/store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { login, startTestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { storeContract } from './contract.ts';

let primary: TestRedis;
let replica: TestRedis;
let n = 0;
const TIMEOUT_MS = 200;

beforeAll(async () => {
  primary = await startRedis({ args: ['--repl-diskless-sync-delay', '0'] });
  replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
  const probe = new Redis(primary.url);
  try {
    await waitFor(async () => /state=online/.test(await probe.info('replication')), 'the replica in sync');
    // Online is not yet acknowledging: the first WAIT on a loaded machine could take longer than TIMEOUT_MS.
    await probe.set(`${primary.prefix}warm-up`, '1');
    await probe.wait(1, 10_000);
  } finally {
    probe.disconnect();
  }
}, 30_000);
afterAll(async () => {
  replica?.process?.kill('SIGCONT');
  await replica?.stop();
  await primary?.stop();
});

const replicated = (prefix = `${primary.prefix}${++n}:`) => new RedisStore({ url: primary.url, prefix, waitReplicas: 1, waitTimeoutMs: TIMEOUT_MS });

storeContract('redis, every write confirmed by a replica (WAIT 1)', async () => replicated());

/** Runs `body` with the replica stopped (connected, answering nothing), and lets it go on after. */
async function withReplicaPaused<T>(body: () => Promise<T>): Promise<T> {
  replica.process!.kill('SIGSTOP');
  try {
    return await body();
  } finally {
    replica.process!.kill('SIGCONT');
  }
}

describe('RedisStore with WAIT', () => {
  it('refuses a write no replica confirms in time, and its repeat is told "duplicate" only once confirmed', async () => {
    const prefix = `${primary.prefix}once:`;
    const store = replicated(prefix);
    const other = replicated(prefix);
    try {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1', { queue: 1 }) }], 1);
      const once = { key: 'tap-1', ttlMs: 60_000 };
      const tap = (s: RedisStore) =>
        s.updateOnce(once, 'samplingPoints', 'sp1', (cur) => [{ op: 'upsert', collection: 'samplingPoints', entity: { ...cur!, queue: cur!.queue + 1 } }], 2);
      const refused = await withReplicaPaused(async () => {
        const error = await tap(store).then(
          () => null,
          (err: unknown) => err,
        );
        // The repeat finds the opId taken on the primary, but cannot vouch for it either.
        const repeat = await tap(other).then(
          () => null,
          (err: unknown) => err,
        );
        return { error, repeat };
      });
      expect(refused.error).toBeInstanceOf(StoreUnavailableError);
      expect(String(refused.error)).toMatch(/not confirmed by 1 replica/);
      expect(refused.repeat).toBeInstanceOf(StoreUnavailableError);
      // The replica caught up: the repeat (the tablet's retry) is a duplicate, and the tap counted once.
      expect(await tap(other)).toBe('duplicate');
      expect((await store.get('samplingPoints', 'sp1'))!.queue).toBe(2);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('hands subscribers a delta only once a replica holds it, in seq order, none twice', async () => {
    const prefix = `${primary.prefix}feed:`;
    const store = replicated(prefix);
    const writer = replicated(prefix);
    try {
      const got: Delta[] = [];
      await store.subscribe((d) => got.push(d));
      await writer.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1') }], 1);
      await waitFor(() => got.length === 1, 'the first delta');
      const snapshotRefused = await withReplicaPaused(async () => {
        await expect(writer.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp2') }], 2)).rejects.toBeInstanceOf(StoreUnavailableError);
        // On the primary, not on the replica: neither the feed nor a snapshot shows it.
        await new Promise((r) => setTimeout(r, 3 * TIMEOUT_MS));
        expect(got.map((d) => d.seq)).toEqual([1]);
        return store.snapshot().then(
          () => null,
          (err: unknown) => err,
        );
      });
      expect(snapshotRefused).toBeInstanceOf(StoreUnavailableError);
      await waitFor(() => got.length === 2, 'the delta, once the replica has it');
      await writer.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp3') }], 3);
      await waitFor(() => got.length === 3, 'the next delta');
      expect(got.map((d) => d.seq)).toEqual([1, 2, 3]);
      expect(Object.keys((await store.snapshot()).collections.samplingPoints).sort()).toEqual(['sp1', 'sp2', 'sp3']);
    } finally {
      await store.close();
      await writer.close();
    }
  });

  it('answers a write 503 (not 500) when no replica confirms it, or when Redis refuses it for want of replicas', async () => {
    const prefix = `${primary.prefix}app:`;
    const srv = await startTestServer({ store: replicated(prefix) });
    try {
      const token = await login(srv.url, 'commander');
      const point = Object.keys((await srv.store.snapshot()).collections.samplingPoints)[0]!;
      const patch = (queue: number) =>
        fetch(`${srv.url}/api/sampling-points/${point}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ queue }),
        });
      expect((await patch(5)).status).toBe(200);
      const timedOut = await withReplicaPaused(() => patch(6));
      expect(timedOut.status).toBe(503);
      expect(await timedOut.json()).toMatchObject({ error: 'store-unavailable' });
      // min-replicas-to-write on the primary: Redis itself says NOREPLICAS once the replica lags.
      const admin = new Redis(primary.url);
      try {
        await admin.config('SET', 'min-replicas-to-write', '1');
        await admin.config('SET', 'min-replicas-max-lag', '1');
        const refused = await withReplicaPaused(async () => {
          await waitFor(async () => /min_slaves_good_slaves:0/.test(await admin.info('replication')), 'the primary counts no good replica', 15_000, 200);
          return patch(7);
        });
        expect(refused.status).toBe(503);
      } finally {
        await admin.config('SET', 'min-replicas-to-write', '0');
        admin.disconnect();
      }
      await waitFor(async () => (await patch(8)).status === 200, 'writes accepted again');
      expect((await srv.store.get('samplingPoints', point))!.queue).toBe(8);
    } finally {
      await srv.close();
      await srv.store.close();
    }
  }, 60_000);
});
