// The contract every LiveStore implementation passes (run by memory.test.ts and redis.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delta } from '../../server/schema/index.ts';
import { sessionId, type LiveStore, type StoredUser } from '../../server/store/store.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function storeContract(name: string, makeStore: () => Promise<LiveStore>): void {
  describe(`LiveStore contract: ${name}`, () => {
    let store: LiveStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
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

    it('grants a claim once only', async () => {
      const results = await Promise.all([store.claimOnce('seed'), store.claimOnce('seed'), store.claimOnce('seed')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claimOnce('other')).toBe(true);
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

    it('has no grid set until one is committed, then commits it with its live changes as one delta, telling every listener', async () => {
      expect(await store.getGridSet()).toBeUndefined();
      expect(await store.gridSetVersion()).toBeUndefined();
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1', { gridId: 'OLD' }) }], 1);
      const heard: string[] = [];
      const deltas: Delta[] = [];
      const unheard = await store.onGridSet((v) => heard.push(v));
      await store.subscribe((d) => deltas.push(d));
      const set = { version: 'v1', gridsJson: '{"type":"FeatureCollection","features":[]}', committedAt: 5, by: 'admin' };
      const delta = await store.commitGridSet(
        set,
        (collections) => [
          { op: 'upsert', collection: 'samplingPoints', entity: { ...collections.samplingPoints.sp1!, gridId: 'NEW' } },
          { op: 'upsert', collection: 'gridStatus', entity: { id: 'NEW', risk: 'low', updatedAt: 5 } },
        ],
        5,
      );
      expect(delta?.seq).toBe(2);
      expect(delta?.changes).toHaveLength(2);
      expect(await store.getGridSet()).toEqual(set);
      expect(await store.gridSetVersion()).toBe('v1');
      expect((await store.get('samplingPoints', 'sp1'))?.gridId).toBe('NEW');
      expect((await store.deltasSince(1))?.map((d) => d.seq)).toEqual([2]);
      await waitFor(() => (heard.length > 0 && deltas.length > 0 ? true : undefined));
      expect(heard).toEqual(['v1']);
      expect(deltas.map((d) => d.changes.length)).toEqual([2]);
      // No live change: the set alone, no delta, still told.
      expect(await store.commitGridSet({ ...set, version: 'v2' }, () => [], 6)).toBeNull();
      expect(await store.seq()).toBe(2);
      expect((await store.getGridSet())?.version).toBe('v2');
      await waitFor(() => (heard.length > 1 ? true : undefined));
      expect(heard).toEqual(['v1', 'v2']);
      unheard();
      await store.commitGridSet({ ...set, version: 'v3' }, () => [], 7);
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual(['v1', 'v2']);
    });

    it('has no road set until one is committed, then keeps it, writes no delta, and tells every listener (the grid set apart)', async () => {
      expect(await store.getRoadSet()).toBeUndefined();
      expect(await store.roadSetVersion()).toBeUndefined();
      const heard: string[] = [];
      const gridsHeard: string[] = [];
      const unheard = await store.onRoadSet((v) => heard.push(v));
      await store.onGridSet((v) => gridsHeard.push(v));
      const set = { version: 'r1', roadsJson: '{"type":"FeatureCollection","features":[]}', committedAt: 5, by: 'admin' };
      await store.commitRoadSet(set);
      expect(await store.getRoadSet()).toEqual(set);
      expect(await store.roadSetVersion()).toBe('r1');
      expect(await store.seq()).toBe(0);
      await waitFor(() => (heard.length > 0 ? true : undefined));
      await store.commitRoadSet({ ...set, version: 'r2', by: 'cli' });
      await waitFor(() => (heard.length > 1 ? true : undefined));
      expect(heard).toEqual(['r1', 'r2']);
      expect(await store.getRoadSet()).toMatchObject({ version: 'r2', by: 'cli' });
      expect(await store.getGridSet()).toBeUndefined();
      unheard();
      await store.commitRoadSet({ ...set, version: 'r3' });
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual(['r1', 'r2']);
      expect(gridsHeard).toEqual([]);
    });

    it('commitGridSet() computes again when anything at all was written meanwhile, even an entity it did not change', async () => {
      for (const withChanges of [true, false]) {
        let calls = 0;
        const id = withChanges ? 'late' : 'later';
        const delta = await store.commitGridSet(
          { version: `v-${id}`, gridsJson: '{}', committedAt: 1, by: 'admin' },
          (collections) => {
            // Another process adds a point stamped with an old grid, after the state was read.
            if (calls++ === 0) void store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint(id, { gridId: 'OLD' }) }], 1);
            const point = collections.samplingPoints[id];
            return point
              ? [{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, gridId: 'NEW' } }]
              : withChanges
                ? [{ op: 'upsert', collection: 'gridStatus', entity: { id: 'G', risk: 'low', updatedAt: 1 } }]
                : [];
          },
          2,
        );
        expect(calls).toBe(2);
        expect((await store.get('samplingPoints', id))?.gridId).toBe('NEW');
        expect(delta?.changes).toEqual([{ op: 'upsert', collection: 'samplingPoints', entity: expect.objectContaining({ id, gridId: 'NEW' }) }]);
        expect(await store.gridSetVersion()).toBe(`v-${id}`);
      }
      expect(await store.get('gridStatus', 'G')).toBeUndefined();
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

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
