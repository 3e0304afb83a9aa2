// The committed towns and villages in both stores (store/town-set.ts), one contract: none until
// one is committed, then kept whole, no delta written, every listener told (the grid and road
// sets apart). On Redis, two store connections stand for two server processes: a commit by one
// is heard and read by the other, and TownLayers.follow leaves each on the last set committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTownLayer, fileTownLayer, TownLayers } from '../../server/county/town-layer.ts';
import type { TownSet } from '../../server/schema/index.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import type { LiveStore } from '../../server/store/store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';

const set = (name: string): TownSet => ({
  towns: [{ code: '620922100', name, center: [95.78, 40.52], centerSource: 'given', population: 1000, seat: true }],
  villages: [{ code: '620922100001', name: `${name}一村`, townCode: '620922100', center: [95.79, 40.51], centerSource: 'grids', population: null }],
});
const stored = (s: TownSet, by = 'admin') => {
  const setJson = JSON.stringify(s);
  return { version: buildTownLayer(s, setJson).version, setJson, committedAt: 5, by };
};

let redis: TestRedis;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

for (const [kind, open] of [
  ['memory', async () => new MemoryStore()],
  ['redis', async () => new RedisStore({ url: redis.url, prefix: `${redis.prefix}towns${++n}:` })],
] as [string, () => Promise<LiveStore>][]) {
  describe(`town set (${kind})`, () => {
    it('has none until one is committed, then keeps it, writes no delta, and tells every listener (grids and roads apart)', async () => {
      const store = await open();
      try {
        expect(await store.getTownSet()).toBeUndefined();
        expect(await store.townSetVersion()).toBeUndefined();
        const heard: string[] = [];
        const others: string[] = [];
        const unheard = await store.onTownSet((v) => heard.push(v));
        await store.onRoadSet((v) => others.push(`roads ${v}`));
        await store.onGridSet((v) => others.push(`grids ${v}`));
        const one = stored(set('渊泉镇'));
        await store.commitTownSet(one);
        expect(await store.getTownSet()).toEqual(one);
        expect(await store.townSetVersion()).toBe(one.version);
        expect(await store.seq()).toBe(0);
        await waitFor(() => (heard.length > 0 ? true : undefined), 'the first notice');
        const two = stored(set('新渊泉镇'), 'cli');
        await store.commitTownSet(two);
        await waitFor(() => (heard.length > 1 ? true : undefined), 'the second notice');
        expect(heard).toEqual([one.version, two.version]);
        expect(await store.getTownSet()).toMatchObject({ version: two.version, by: 'cli' });
        expect(await store.getRoadSet()).toBeUndefined();
        unheard();
        await store.commitTownSet(stored(set('三')));
        await new Promise((r) => setTimeout(r, 50));
        expect(heard).toHaveLength(2);
        expect(others).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

describe('town set across processes (two Redis connections)', () => {
  it('a commit by one process is heard by the other, which swaps to it, and two commits in a row leave both on the second', async () => {
    const prefix = `${redis.prefix}towns-two:`;
    const a = new RedisStore({ url: redis.url, prefix });
    const b = new RedisStore({ url: redis.url, prefix });
    try {
      const initial = fileTownLayer([{ code: '620922100', name: '渊泉镇', center: [95.78, 40.52], seat: true }]);
      const layersA = new TownLayers(initial);
      const layersB = new TownLayers(initial);
      const swapped: string[] = [];
      layersB.onSwap((layer) => swapped.push(layer.towns[0]!.name));
      await b.onTownSet(() => void layersB.follow(b).catch(() => undefined));
      await a.onTownSet(() => void layersA.follow(a).catch(() => undefined));
      const first = stored(set('一'));
      const second = stored(set('二'));
      await a.commitTownSet(first);
      await a.commitTownSet(second);
      await waitFor(() => (layersB.current.version === second.version ? true : undefined), 'process b on the second set');
      await waitFor(() => (layersA.current.version === second.version ? true : undefined), 'process a on the second set');
      expect(layersB.current.villages?.[0]?.name).toBe('二一村');
      expect(swapped.at(-1)).toBe('二');
      // A stored set that cannot be read is named as such, and the process keeps what it serves.
      await a.commitTownSet({ version: 'broken', setJson: '{"towns":[]}', committedAt: 1, by: 'x' });
      await expect(layersB.follow(b)).rejects.toThrow(/the committed town set broken is unreadable/);
      expect(layersB.current.version).toBe(second.version);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
