// The store contract, claims: start-up claims and terminal registrations (memory/claims.ts, redis/claims.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveStore } from '../../../server/store/store.ts';

export function claimsContract(current: () => LiveStore): void {
  describe('claims', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('grants a claim once only', async () => {
      const results = await Promise.all([store.claimOnce('seed'), store.claimOnce('seed'), store.claimOnce('seed')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claimOnce('other')).toBe(true);
    });

    it('keeps one registration per terminal until it is cleared', async () => {
      const reg = { phone: '13900000099', codeHash: 'a'.repeat(64), terminalId: 'T1', plate: '甘F1', registeredAt: 1 };
      expect(await store.getTerminalRegistration(reg.phone)).toBeUndefined();
      const claims = await Promise.all([store.claimTerminalRegistration(reg), store.claimTerminalRegistration({ ...reg, codeHash: 'b'.repeat(64) })]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const kept = await store.getTerminalRegistration(reg.phone);
      expect(kept).toEqual({ ...reg, codeHash: kept!.codeHash });
      expect(await store.claimTerminalRegistration({ ...reg, codeHash: 'c'.repeat(64) })).toBe(false);
      expect(await store.clearTerminalRegistration(reg.phone)).toBe(true);
      expect(await store.clearTerminalRegistration(reg.phone)).toBe(false);
      expect(await store.getTerminalRegistration(reg.phone)).toBeUndefined();
      expect(await store.claimTerminalRegistration({ ...reg, codeHash: 'c'.repeat(64) })).toBe(true);
      expect((await store.getTerminalRegistration(reg.phone))?.codeHash).toBe('c'.repeat(64));
    });
  });
}
