import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../server/store/redis-store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';
import { storeContract } from './contract.ts';
import { terminalStoreContract } from './terminal-contract.ts';

let redis: TestRedis;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

storeContract('redis', async () => new RedisStore({ url: redis.url, prefix: `${redis.prefix}${++n}:` }));
terminalStoreContract('redis', async () => new RedisStore({ url: redis.url, prefix: `${redis.prefix}${++n}:` }));

describe('RedisStore specifics', () => {
  it('updates on what another process wrote meanwhile, never on what it last wrote itself', async () => {
    const prefix = `${redis.prefix}known:`;
    const a = new RedisStore({ url: redis.url, prefix });
    const b = new RedisStore({ url: redis.url, prefix });
    const bump = (store: RedisStore, by: number) =>
      store.update('samplingPoints', 's', (cur) => [{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('s', { queue: (cur?.queue ?? 0) + by }) }], 0);
    try {
      await bump(a, 1); // a knows s at queue 1 (it wrote it)
      await bump(b, 10); // b writes behind a's back: 11
      await bump(a, 100); // a's own knowledge is stale: the write is refused, a reads again
      expect((await b.get('samplingPoints', 's'))!.queue).toBe(111);
      await b.update('samplingPoints', 's', () => [{ op: 'remove', collection: 'samplingPoints', id: 's' }], 0);
      let seen: unknown = 'not called';
      await a.update(
        'samplingPoints',
        's',
        (cur) => {
          seen = cur;
          return null;
        },
        0,
      );
      expect(seen).toBeUndefined(); // removed by b, and a sees it so
      // A removal moves the version on too: re-creating the entity is not the old one again.
      await bump(b, 5);
      await bump(a, 1000);
      expect((await a.get('samplingPoints', 's'))!.queue).toBe(1005);
      // Many concurrent writers over two processes: every increment lands once.
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b, 1)));
      expect((await a.get('samplingPoints', 's'))!.queue).toBe(1045);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('hands updates a frozen current entity, so none can change it in place', async () => {
    const store = new RedisStore({ url: redis.url, prefix: `${redis.prefix}frozen:` });
    try {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('f') }], 0);
      await store.update('samplingPoints', 'f', (cur) => [{ op: 'upsert', collection: 'samplingPoints', entity: { ...cur!, queue: 3 } }], 0);
      await expect(
        store.update(
          'samplingPoints',
          'f',
          (cur) => {
            cur!.queue = 99;
            return null;
          },
          0,
        ),
      ).rejects.toThrow(TypeError);
      expect((await store.get('samplingPoints', 'f'))!.queue).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('tells every process at once when an account is revoked', async () => {
    const prefix = `${redis.prefix}revoke:`;
    const a = new RedisStore({ url: redis.url, prefix });
    const b = new RedisStore({ url: redis.url, prefix });
    try {
      const heard: unknown[] = [];
      await b.onRevoked((revoked) => heard.push(revoked));
      const now = Date.now();
      await a.putSession({ token: 't', username: 'wall', role: 'wall', expiresAt: now + 60_000 }, now);
      expect(await a.revokeSessions('wall', now)).toBe(1);
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual([{ username: 'wall' }]);
      expect(await b.getSession('t', now)).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps sessions under a hash of the token: no key or value holds the token itself', async () => {
    const prefix = `${redis.prefix}hashed:`;
    const store = new RedisStore({ url: redis.url, prefix });
    try {
      const now = Date.now();
      await store.putUser({ username: 'wall', role: 'wall', passwordHash: 'h', salt: 's', disabled: false, createdAt: 1 });
      const token = 'raw-token-abcdefghijklmnopqrstuvwxyz';
      await store.putSession({ token, username: 'wall', role: 'wall', expiresAt: now + 60_000 }, now);
      expect(await store.getSession(token, now)).toMatchObject({ token, username: 'wall' });
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await store.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.some((k) => k.includes('session:'))).toBe(true);
      expect(keys.filter((k) => k.includes(token))).toEqual([]);
      for (const key of keys) {
        const type = await store.redis.type(key);
        const content =
          type === 'string'
            ? [await store.redis.get(key)]
            : type === 'zset'
              ? await store.redis.zrange(key, '0', '-1')
              : type === 'hash'
                ? Object.values(await store.redis.hgetall(key))
                : [];
        expect(content.join(' '), key).not.toContain(token);
      }
    } finally {
      await store.close();
    }
  });

  it('trims the event stream and then asks for a snapshot instead of replaying', async () => {
    const store = new RedisStore({ url: redis.url, prefix: `${redis.prefix}trim:`, eventRetention: 10 });
    try {
      for (let i = 0; i < 300; i++) {
        await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('x', { queue: i }) }], i);
      }
      // MAXLEN ~ trims whole macro nodes, so the oldest entries are surely gone.
      expect(await store.deltasSince(1)).toBeNull();
      expect((await store.deltasSince(299))?.map((d) => d.seq)).toEqual([300]);
    } finally {
      await store.close();
    }
  });

  it('drops a malformed entity instead of passing it on', async () => {
    const errors: string[] = [];
    const store = new RedisStore({ url: redis.url, prefix: `${redis.prefix}bad:`, onError: (m) => errors.push(m) });
    try {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('ok') }], 0);
      await store.redis.hset(`${redis.prefix}bad:e:samplingPoints`, 'evil', '{"id":"evil","queue":-1}');
      const snap = await store.snapshot();
      expect(Object.keys(snap.collections.samplingPoints)).toEqual(['ok']);
      expect(errors.some((m) => m.includes('malformed'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('shares state and deltas between two store instances (two processes)', async () => {
    const prefix = `${redis.prefix}shared:`;
    const a = new RedisStore({ url: redis.url, prefix });
    const b = new RedisStore({ url: redis.url, prefix });
    try {
      const seen: number[] = [];
      await b.subscribe((d) => seen.push(d.seq));
      await a.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('s') }], 0);
      await a.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('s', { queue: 1 }) }], 0);
      await waitFor(() => seen.length >= 2, 'two changes seen', 3000, 10);
      expect(seen).toEqual([1, 2]);
      expect((await b.get('samplingPoints', 's'))?.queue).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('connects again every connection ioredis gave up for good: the reader, the subscribers and the commands go on', async () => {
    const prefix = `${redis.prefix}ended:`;
    const a = new RedisStore({ url: redis.url, prefix });
    const b = new RedisStore({ url: redis.url, prefix });
    try {
      const seen: number[] = [];
      const revoked: unknown[] = [];
      const grids: string[] = [];
      await b.subscribe((d) => seen.push(d.seq));
      await b.onRevoked((r) => revoked.push(r));
      await b.onGridSet((v) => grids.push(v));
      // The state ioredis leaves a connection in when its Sentinel lookup is cut by +switch-master
      // (server/store/keep-connected.ts): ended, every command refused, no retry scheduled.
      // The command connection, then those its parts opened: the reader, the revocation and grid-set subscribers.
      const connections = [b.redis, ...b.context.connections] as Redis[];
      for (const conn of connections) conn.disconnect(false);
      await waitFor(() => connections.every((c) => c.status === 'end'), 'every connection of b ended');
      await waitFor(() => connections.every((c) => c.status === 'ready'), 'every connection of b ready again', 5000);
      await a.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('e') }], 0);
      await waitFor(() => seen.includes(1), "b's reader hands on a write made after it was given up", 5000);
      const now = Date.now();
      await a.putSession({ token: 'e', username: 'wall', role: 'wall', expiresAt: now + 60_000 }, now);
      await a.revokeSessions('wall', now);
      await a.redis.publish(`${prefix}grids`, 'v2');
      await waitFor(() => revoked.length > 0 && grids.includes('v2'), 'b hears revocations and grid sets again', 5000);
      expect((await b.get('samplingPoints', 'e'))?.id).toBe('e');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
