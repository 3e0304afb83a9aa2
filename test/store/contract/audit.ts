// The store contract, audit log: the append-only audit log (memory/audit.ts, redis/audit.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveStore } from '../../../server/store/store.ts';

export function auditContract(current: () => LiveStore): void {
  describe('audit log', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps an append-only audit log, newest first, paged, forgetting entries past retention', async () => {
      const now = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await store.appendAudit(JSON.stringify({ i }), now + i, 86_400_000));
      const first = await store.auditPage(2);
      expect(first.map((e) => JSON.parse(e.json).i)).toEqual([4, 3]);
      const next = await store.auditPage(2, first[1]!.id);
      expect(next.map((e) => JSON.parse(e.json).i)).toEqual([2, 1]);
      expect((await store.auditPage(10)).length).toBe(5);
    });

    it('keeps the audit log to about maxEntries, dropping the oldest', async () => {
      const now = Date.now();
      for (let i = 0; i < 600; i++) await store.appendAudit(JSON.stringify({ i }), now + i, 86_400_000, 50);
      const kept = await store.auditPage(1000);
      // Redis trims whole stream nodes (100 entries by default): about 50, surely far fewer than 600.
      expect(kept.length).toBeGreaterThanOrEqual(50);
      expect(kept.length).toBeLessThanOrEqual(250);
      expect(JSON.parse(kept[0]!.json).i).toBe(599);
    });
  });
}
