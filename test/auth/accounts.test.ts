import { describe, expect, it } from 'vitest';
import { accountsOnPassword, ensureDemoAccounts, signIn } from '../../server/auth/accounts.ts';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { can, permissions } from '../../server/auth/permissions.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';

const ttls = { sessionTtlMs: 60_000, wallSessionTtlMs: 86_400_000 };

describe('accounts', () => {
  it('stores scrypt hashes, never the password', async () => {
    const { passwordHash, salt } = await hashPassword('s3cret-pass');
    expect(passwordHash).not.toContain('s3cret');
    expect(await verifyPassword('s3cret-pass', passwordHash, salt)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', passwordHash, salt)).toBe(false);
  });

  it('creates the five demo accounts once, on an empty store only', async () => {
    const store = new MemoryStore();
    expect(await ensureDemoAccounts(store, 'demo-password', 1)).toBe(true);
    expect(await store.countUsers()).toBe(5);
    expect(await ensureDemoAccounts(store, 'another-password', 2)).toBe(false);
    expect(await signIn(store, 'field', 'another-password', ttls, 3)).toBeUndefined();
    expect(await signIn(store, 'field', 'demo-password', ttls, 3)).toMatchObject({ role: 'field', expiresAt: 60_003 });
  });

  it('refuses to start an empty store without a demo password (production)', async () => {
    await expect(ensureDemoAccounts(new MemoryStore(), undefined, 1)).rejects.toThrow(/DEMO_PASSWORD/);
  });

  it('finds the demo accounts still on the published password (production then refuses to start)', async () => {
    const store = new MemoryStore();
    await ensureDemoAccounts(store, 'epi-board-demo', 1);
    expect(await accountsOnPassword(store, 'epi-board-demo')).toEqual(['admin', 'commander', 'dispatcher', 'field', 'wall']);
    const admin = (await store.getUser('admin'))!;
    await store.putUser({ ...admin, ...(await hashPassword('a-new-long-password')) });
    await store.putUser({ ...(await store.getUser('wall'))!, disabled: true });
    expect(await accountsOnPassword(store, 'epi-board-demo')).toEqual(['commander', 'dispatcher', 'field']);
  });

  it('finds every account on the published password, not only the demo ones', async () => {
    const store = new MemoryStore();
    await ensureDemoAccounts(store, 'epi-board-demo', 1);
    for (const role of ['admin', 'commander', 'dispatcher', 'field', 'wall'] as const) {
      await store.putUser({ ...(await store.getUser(role))!, ...(await hashPassword(`new-${role}-password`)) });
    }
    await store.putUser({ username: 'lead.wang', role: 'field', ...(await hashPassword('epi-board-demo')), disabled: false, createdAt: 2 });
    await store.putUser({ username: 'old.li', role: 'commander', ...(await hashPassword('epi-board-demo')), disabled: true, createdAt: 2 });
    await store.putUser({ username: 'ma.dong', role: 'dispatcher', ...(await hashPassword('another-one')), disabled: false, createdAt: 2 });
    expect(await accountsOnPassword(store, 'epi-board-demo')).toEqual(['lead.wang']);
  });

  it('does the same work for an unknown, a disabled and an existing account: one scrypt verification each', async () => {
    const store = new MemoryStore();
    await ensureDemoAccounts(store, 'demo-password', 0);
    await store.putUser({ ...(await store.getUser('wall'))!, disabled: true });
    const calls: string[] = [];
    const verify = async (password: string, hash: string, salt: string) => {
      calls.push(salt);
      return verifyPassword(password, hash, salt);
    };
    for (const username of ['nobody-at-all', 'wall', 'commander']) {
      calls.length = 0;
      expect(await signIn(store, username, 'wrong-password', ttls, 0, verify), username).toBeUndefined();
      expect(calls, username).toHaveLength(1);
      // The same scrypt parameters: a real salt of the same size for every kind of refusal.
      expect(Buffer.from(calls[0]!, 'base64')).toHaveLength(16);
    }
    calls.length = 0;
    expect(await signIn(store, 'commander', 'demo-password', ttls, 0, verify)).toMatchObject({ role: 'commander' });
    expect(calls).toHaveLength(1);
  });

  it('keeps the wall signed in longer; refuses disabled accounts', async () => {
    const store = new MemoryStore();
    await ensureDemoAccounts(store, 'demo-password', 0);
    expect((await signIn(store, 'wall', 'demo-password', ttls, 0))?.expiresAt).toBe(86_400_000);
    const user = (await store.getUser('commander'))!;
    await store.putUser({ ...user, disabled: true });
    expect(await signIn(store, 'commander', 'demo-password', ttls, 0)).toBeUndefined();
  });

  it('the permission table: the wall reads only, field leads change sampling points only', () => {
    for (const action of Object.keys(permissions) as (keyof typeof permissions)[]) {
      expect(can('wall', action)).toBe(action === 'live:read');
    }
    expect(can('field', 'samplingPoints:update')).toBe(true);
    expect(can('field', 'hotels:update')).toBe(false);
    expect(can('dispatcher', 'ambulances:position')).toBe(true);
  });
});
