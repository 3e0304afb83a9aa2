// The store contract, live state: apply, the event log and its subscribers, every read-modify-write (memory/live-state.ts, redis/live-state.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delta } from '../../../server/schema/index.ts';
import type { LiveStore } from '../../../server/store/store.ts';
import { ambulance, samplingPoint } from '../../helpers/fixtures.ts';
import { waitFor } from './wait.ts';

export function liveStateContract(current: () => LiveStore): void {
  describe('live state', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('starts empty at seq 0', async () => {
      const snap = await store.snapshot();
      expect(snap.seq).toBe(0);
      expect(Object.keys(snap.collections.samplingPoints)).toHaveLength(0);
      expect(await store.seq()).toBe(0);
    });

    it('applies a batch under one seq and shows it in the snapshot', async () => {
      const d1 = await store.apply(
        [
          { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1') },
          { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp2', { queue: 3 }) },
        ],
        1000,
      );
      expect(d1.seq).toBe(1);
      const d2 = await store.apply([{ op: 'remove', collection: 'samplingPoints', id: 'sp1' }], 2000);
      expect(d2.seq).toBe(2);
      const snap = await store.snapshot();
      expect(snap.seq).toBe(2);
      expect(Object.keys(snap.collections.samplingPoints)).toEqual(['sp2']);
      expect(snap.collections.samplingPoints.sp2?.queue).toBe(3);
      expect(await store.get('samplingPoints', 'sp2')).toEqual(samplingPoint('sp2', { queue: 3 }));
      expect(await store.get('samplingPoints', 'sp1')).toBeUndefined();
    });

    it('rejects an empty batch', async () => {
      await expect(store.apply([], 1)).rejects.toThrow();
      expect(await store.seq()).toBe(0);
    });

    it('replays deltas since a seq, and [] when up to date', async () => {
      for (let i = 1; i <= 5; i++) {
        await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp', { queue: i }) }], i);
      }
      const since = await store.deltasSince(2);
      expect(since?.map((d) => d.seq)).toEqual([3, 4, 5]);
      expect(since?.[2]?.changes[0]).toMatchObject({ op: 'upsert', entity: { queue: 5 } });
      expect(since?.[0]?.at).toBe(3);
      expect(await store.deltasSince(5)).toEqual([]);
    });

    it('notifies subscribers of every delta in seq order', async () => {
      const seen: Delta[] = [];
      const unsubscribe = await store.subscribe((d) => seen.push(d));
      const writes = [];
      for (let i = 0; i < 50; i++) {
        writes.push(store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint(`p${i % 7}`, { queue: i }) }], i));
      }
      await Promise.all(writes);
      await waitFor(() => (seen.length >= 50 ? true : undefined));
      expect(seen.map((d) => d.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      unsubscribe();
      await store.apply([{ op: 'remove', collection: 'samplingPoints', id: 'p1' }], 99);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(50);
    });

    it('update() is a safe read-modify-write under concurrency', async () => {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('q', { queue: 0 }) }], 0);
      const increments = Array.from({ length: 40 }, (_, i) =>
        store.update('samplingPoints', 'q', (cur) => (cur ? [{ op: 'upsert', collection: 'samplingPoints', entity: { ...cur, queue: cur.queue + 1 } }] : null), i),
      );
      await Promise.all(increments);
      expect((await store.get('samplingPoints', 'q'))?.queue).toBe(40);
      expect(await store.seq()).toBe(41);
    });

    it('update() writes nothing when the function returns null', async () => {
      const result = await store.update('samplingPoints', 'missing', () => null, 0);
      expect(result).toBeNull();
      expect(await store.seq()).toBe(0);
    });

    it('updateMany() writes several entities only if none changed since they were read', async () => {
      await store.apply(
        [
          { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('m1', { queue: 0 }) },
          { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('m2', { queue: 0 }) },
        ],
        0,
      );
      // Forty moves of one person from m1 to m2, concurrently: the sum is kept exactly.
      const moves = Array.from({ length: 40 }, () =>
        store.updateMany(
          [
            { collection: 'samplingPoints', id: 'm1' },
            { collection: 'samplingPoints', id: 'm2' },
          ],
          (current) => {
            const [a, b] = current as (ReturnType<typeof samplingPoint> | undefined)[];
            if (!a || !b) return null;
            return [
              { op: 'upsert', collection: 'samplingPoints', entity: { ...a, queue: a.queue + 1 } },
              { op: 'upsert', collection: 'samplingPoints', entity: { ...b, queue: b.queue + 2 } },
            ];
          },
          1,
        ),
      );
      await Promise.all(moves);
      expect((await store.get('samplingPoints', 'm1'))?.queue).toBe(40);
      expect((await store.get('samplingPoints', 'm2'))?.queue).toBe(80);
      expect(await store.updateMany([{ collection: 'samplingPoints', id: 'none' }], ([x]) => (x ? [] : null), 2)).toBeNull();
    });

    it('has one epoch, the same every time it is asked', async () => {
      const epoch = await store.epoch();
      expect(epoch).toMatch(/.{8,}/);
      expect(await store.epoch()).toBe(epoch);
    });

    it('updateOnce() applies an operation once however often it is retried, even concurrently', async () => {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('q', { queue: 0 }) }], 0);
      const increment = (key: string) =>
        store.updateOnce(
          { key, ttlMs: 60_000 },
          'samplingPoints',
          'q',
          (p) => (p ? [{ op: 'upsert', collection: 'samplingPoints', entity: { ...p, queue: p.queue + 1 } }] : null),
          1,
        );
      const results = await Promise.all([increment('op-a'), increment('op-a'), increment('op-b'), increment('op-a')]);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(2);
      expect((await store.get('samplingPoints', 'q'))?.queue).toBe(2);
      expect(await increment('op-b')).toBe('duplicate');
      expect(await store.seq()).toBe(3);
      // A key that wrote nothing (the function declined) stays free.
      expect(await store.updateOnce({ key: 'op-c', ttlMs: 60_000 }, 'samplingPoints', 'q', () => null, 1)).toBeNull();
      expect(await increment('op-c')).not.toBe('duplicate');
    });

    it('finds ambulances near a point, nearest first', async () => {
      await store.apply(
        [
          { op: 'upsert', collection: 'ambulances', entity: ambulance('far', 96.5, 40.5) },
          { op: 'upsert', collection: 'ambulances', entity: ambulance('near', 95.781, 40.521) },
          { op: 'upsert', collection: 'ambulances', entity: ambulance('mid', 95.8, 40.53) },
        ],
        0,
      );
      expect(await store.ambulancesNear(95.78, 40.52, 10_000)).toEqual(['near', 'mid']);
      await store.apply([{ op: 'remove', collection: 'ambulances', id: 'near' }], 1);
      expect(await store.ambulancesNear(95.78, 40.52, 10_000)).toEqual(['mid']);
    });
  });
}
