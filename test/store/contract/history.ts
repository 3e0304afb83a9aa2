// The store contract, history: once per slot, within its retention (memory/history.ts, redis/history.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveStore } from '../../../server/store/store.ts';

export function historyContract(current: () => LiveStore): void {
  describe('history', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps the key-figure history once per slot, oldest first, within its retention', async () => {
      expect(await store.appendHistory('s1', 1000, '{"a":1}', 10_000)).toBe(true);
      expect(await store.appendHistory('s1', 1001, '{"a":2}', 10_000)).toBe(false); // another process, same slot
      expect(await store.appendHistory('s3', 3000, '{"a":3}', 10_000)).toBe(true);
      expect(await store.appendHistory('s2', 2000, '{"a":4}', 10_000)).toBe(true);
      expect(await store.historySince(0)).toEqual([
        { at: 1000, json: '{"a":1}' },
        { at: 2000, json: '{"a":4}' },
        { at: 3000, json: '{"a":3}' },
      ]);
      expect((await store.historySince(2000)).map((p) => p.at)).toEqual([2000, 3000]);
      await store.appendHistory('s4', 12_500, '{"a":5}', 10_000);
      expect((await store.historySince(0)).map((p) => p.at)).toEqual([3000, 12_500]);
    });
  });
}
