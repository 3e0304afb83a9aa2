// The store contract, accounts and sessions: compare-and-set of an account, sessions that live only while it allows, revocations heard (memory/accounts.ts, redis/accounts.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionId, type LiveStore, type StoredUser } from '../../../server/store/store.ts';
import { waitFor } from './wait.ts';

export function accountsContract(current: () => LiveStore): void {
  describe('accounts and sessions', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps accounts and expiring sessions', async () => {
      expect(await store.countUsers()).toBe(0);
      await store.putUser({ username: 'u', role: 'field', passwordHash: 'h', salt: 's', disabled: false, createdAt: 1 });
      expect(await store.getUser('u')).toMatchObject({ role: 'field' });
      expect(await store.getUser('nobody')).toBeUndefined();
      expect(await store.countUsers()).toBe(1);
      const now = Date.now();
      await store.putSession({ token: 't1', username: 'u', role: 'field', expiresAt: now + 60_000 }, now);
      // A session made on a clock a week behind (a test's fixed date) lives its whole term.
      const lastWeek = now - 7 * 86_400_000;
      await store.putSession({ token: 't2', username: 'u', role: 'field', expiresAt: lastWeek + 60_000 }, lastWeek);
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.getSession('t2', lastWeek + 1000)).toMatchObject({ username: 'u' });
      expect(await store.getSession('t1', now)).toMatchObject({ username: 'u' });
      expect(await store.getSession('t1', now + 61_000)).toBeUndefined();
      await store.deleteSession('t1');
      expect(await store.getSession('t1', now)).toBeUndefined();
    });

    it('lists accounts, and revokes every session of one, telling its listeners', async () => {
      await store.putUser({ username: 'zed', role: 'wall', passwordHash: 'h', salt: 's', disabled: false, createdAt: 1 });
      await store.putUser({ username: 'amy', role: 'field', passwordHash: 'h', salt: 's', disabled: false, createdAt: 2 });
      expect((await store.listUsers()).map((u) => u.username)).toEqual(['amy', 'zed']);
      expect(await store.addUser({ username: 'amy', role: 'admin', passwordHash: 'h', salt: 's', disabled: false, createdAt: 3 })).toBe(false);
      expect(await store.getUser('amy')).toMatchObject({ role: 'field' });
      expect(await store.addUser({ username: 'bo', role: 'admin', passwordHash: 'h', salt: 's', disabled: false, createdAt: 3 })).toBe(true);
      expect(await store.countUsers()).toBe(3);
      const now = Date.now();
      await store.putSession({ token: 'a1', username: 'amy', role: 'field', expiresAt: now + 60_000 }, now);
      await store.putSession({ token: 'a2', username: 'amy', role: 'field', expiresAt: now + 60_000 }, now);
      await store.putSession({ token: 'z1', username: 'zed', role: 'wall', expiresAt: now + 60_000 }, now);
      const heard: unknown[] = [];
      const stop = await store.onRevoked((revoked) => heard.push(revoked));
      expect(await store.revokeSessions('amy', now)).toBe(2);
      expect(await store.getSession('a1', now)).toBeUndefined();
      expect(await store.getSession('a2', now)).toBeUndefined();
      expect(await store.getSession('z1', now)).toMatchObject({ username: 'zed' });
      await waitFor(() => (heard.length ? heard : undefined));
      expect(heard).toEqual([{ username: 'amy' }]);
      await store.deleteSession('z1');
      await waitFor(() => (heard.length > 1 ? heard : undefined));
      expect(heard[1]).toEqual({ sessionId: sessionId('z1') });
      stop();
      expect(await store.revokeSessions('amy', now)).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toHaveLength(2);
    });

    it('updateUser() is a compare-and-set: concurrent changes of one account all land, each bumping its version', async () => {
      await store.putUser({ username: 'cas', role: 'field', passwordHash: 'h', salt: 's', disabled: false, createdAt: 0 });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.updateUser('cas', (u) => (u ? { ...u, createdAt: u.createdAt + 1, samplingPoints: [...(u.samplingPoints ?? []), `p${i}`] } : null)),
        ),
      );
      expect(results.every((r) => r !== null && r !== 'conflict')).toBe(true);
      const user = (await store.getUser('cas'))!;
      expect(user.createdAt).toBe(20);
      expect(user.samplingPoints).toHaveLength(20);
      expect(user.version).toBe(20);
      expect(await store.updateUser('cas', () => null)).toBeNull();
      expect(await store.updateUser('nobody', (u) => (u ? u : null))).toBeNull();
      expect(await store.getUser('nobody')).toBeUndefined();
    });

    it('a session lives only while its account is enabled and keeps its role and epoch', async () => {
      const base: StoredUser = { username: 'eve', role: 'commander', passwordHash: 'h', salt: 's', disabled: false, createdAt: 1 };
      await store.putUser(base);
      const now = Date.now();
      const open = (token: string, epoch?: number) =>
        store.putSession({ token, username: 'eve', role: 'commander', expiresAt: now + 60_000, ...(epoch === undefined ? {} : { epoch }) }, now);
      await open('e0');
      expect(await store.getSession('e0', now)).toMatchObject({ token: 'e0', username: 'eve' });
      // The epoch moved on (a reset, a revoke): a session opened before is dead, one opened after lives.
      await store.updateUser('eve', (u) => (u ? { ...u, epoch: 1 } : null));
      expect(await store.getSession('e0', now)).toBeUndefined();
      await open('e1', 1);
      expect(await store.getSession('e1', now)).toMatchObject({ epoch: 1 });
      await store.updateUser('eve', (u) => (u ? { ...u, disabled: true } : null));
      expect(await store.getSession('e1', now)).toBeUndefined();
      await store.updateUser('eve', (u) => (u ? { ...u, disabled: false, role: 'dispatcher' } : null));
      expect(await store.getSession('e1', now)).toBeUndefined();
      await store.putSession({ token: 'ghost', username: 'nobody', role: 'wall', expiresAt: now + 60_000 }, now);
      expect(await store.getSession('ghost', now)).toBeUndefined();
    });
  });
}
