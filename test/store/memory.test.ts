import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { storeContract } from './contract.ts';
import { terminalStoreContract } from './terminal-contract.ts';

storeContract('memory', async () => new MemoryStore());
terminalStoreContract('memory', async () => new MemoryStore());

describe('MemoryStore specifics', () => {
  it('keeps sessions under a hash of the token, never the token itself', async () => {
    const store = new MemoryStore();
    const now = Date.now();
    await store.putUser({ username: 'wall', role: 'wall', passwordHash: 'h', salt: 's', disabled: false, createdAt: 1 });
    const token = 'raw-token-abcdefghijklmnopqrstuvwxyz';
    await store.putSession({ token, username: 'wall', role: 'wall', expiresAt: now + 60_000 }, now);
    expect(await store.getSession(token, now)).toMatchObject({ token });
    expect(store.sessionKeys()).toHaveLength(1);
    expect(store.sessionKeys().join(' ')).not.toContain(token);
  });
});
