// The store contract, documents: documents by kind and id (memory/documents.ts, redis/documents.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveStore } from '../../../server/store/store.ts';

export function documentsContract(current: () => LiveStore): void {
  describe('documents', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps documents by kind and id, replacing one with the same id', async () => {
      expect(await store.getDocuments('report')).toEqual([]);
      await store.putDocument('report', '2026-11-30', '{"v":1}');
      await store.putDocument('report', '2026-11-29', '{"v":0}');
      await store.putDocument('report', '2026-11-30', '{"v":2}');
      await store.putDocument('other', 'x', '{}');
      expect(await store.getDocuments('report')).toEqual([
        { id: '2026-11-29', json: '{"v":0}' },
        { id: '2026-11-30', json: '{"v":2}' },
      ]);
      expect(await store.getDocument('report', '2026-11-30')).toBe('{"v":2}');
      expect(await store.getDocument('report', '2026-11-28')).toBeUndefined();
    });
  });
}
