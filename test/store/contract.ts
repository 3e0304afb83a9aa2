// The contract every LiveStore implementation passes (run by memory.test.ts, redis.test.ts and the
// replicated and cluster suites), one file per concern in contract/, as the store is split (server/store/README.md).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveStore } from '../../server/store/store.ts';
import { accountsContract } from './contract/accounts.ts';
import { auditContract } from './contract/audit.ts';
import { claimsContract } from './contract/claims.ts';
import { documentsContract } from './contract/documents.ts';
import { historyContract } from './contract/history.ts';
import { liveStateContract } from './contract/live-state.ts';
import { setsContract } from './contract/sets.ts';

export function storeContract(name: string, makeStore: () => Promise<LiveStore>): void {
  describe(`LiveStore contract: ${name}`, () => {
    let store: LiveStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });
    const current = () => store;

    liveStateContract(current);
    accountsContract(current);
    setsContract(current);
    historyContract(current);
    documentsContract(current);
    auditContract(current);
    claimsContract(current);

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
