// The contract of the store's vehicle terminals (server/store/terminal-store.ts), run on the
// in-process store by memory.test.ts and on a real redis-server by redis.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredUnknownTerminal, StoredVehicleTerminals } from '../../server/schema/terminals.ts';
import type { LiveStore } from '../../server/store/store.ts';
import { updateBindings } from '../../server/store/terminal-store.ts';
import { waitFor } from '../helpers/wait.ts';

const binding = (ambulanceId: string, phone: string, version = 1): StoredVehicleTerminals => ({
  ambulanceId,
  jt808: { phone, terminalId: 'T1' },
  osmand: null,
  version,
  updatedAt: 1000,
  updatedBy: 'admin',
});
const sighting = (identity: string, lastSeen: number, extra: Partial<StoredUnknownTerminal> = {}): StoredUnknownTerminal => ({
  kind: 'jt808',
  identity,
  firstSeen: lastSeen,
  lastSeen,
  remote: '10.0.0.1',
  messages: 1,
  lastMessage: '0x0100',
  lastPosition: null,
  terminalId: null,
  plate: null,
  hasKey: false,
  ...extra,
});

export function terminalStoreContract(name: string, makeStore: () => Promise<LiveStore>): void {
  describe(`TerminalStore contract: ${name}`, () => {
    let store: LiveStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts with no bindings at version 0, and writes only over the version it read', async () => {
      expect(await store.terminals.bindingSet()).toEqual({ version: 0, vehicles: new Map() });
      expect(await store.terminals.writeBindings(0, [{ ambulanceId: 'NP01', binding: binding('NP01', '13900000001') }])).toBe(1);
      // A writer that read version 0 is refused now, and nothing of its write lands.
      expect(await store.terminals.writeBindings(0, [{ ambulanceId: 'NP02', binding: binding('NP02', '13900000002') }])).toBe('conflict');
      const set = await store.terminals.bindingSet();
      expect(set.version).toBe(1);
      expect([...set.vehicles.keys()]).toEqual(['NP01']);
      expect(set.vehicles.get('NP01')).toEqual(binding('NP01', '13900000001'));
      // Two vehicles in one step: one moved away from, one given the identity.
      expect(
        await store.terminals.writeBindings(1, [
          { ambulanceId: 'NP01', binding: null },
          { ambulanceId: 'NP02', binding: binding('NP02', '13900000001') },
        ]),
      ).toBe(2);
      const after = await store.terminals.bindingSet();
      expect([...after.vehicles.keys()]).toEqual(['NP02']);
      expect(await store.terminals.bindingSetVersion()).toBe(2);
    });

    it('tells its listeners the version of every write', async () => {
      const heard: number[] = [];
      const unsubscribe = await store.terminals.onBindings((v) => heard.push(v));
      await store.terminals.writeBindings(0, [{ ambulanceId: 'A', binding: binding('A', '1') }]);
      await store.terminals.writeBindings(1, [{ ambulanceId: 'A', binding: null }]);
      await waitFor(() => (heard.length >= 2 ? true : undefined), 'both notices');
      expect(heard).toEqual([1, 2]);
      unsubscribe();
    });

    it('read-modify-write: concurrent updates each land once, computed on what the other wrote', async () => {
      const add = (id: string) =>
        updateBindings(store.terminals, (set) => ({
          writes: [{ ambulanceId: id, binding: binding(id, String(set.vehicles.size + 100)) }],
          result: set.vehicles.size,
        }));
      const results = await Promise.all(['A', 'B', 'C', 'D'].map(add));
      expect(results.every((r) => r !== 'conflict')).toBe(true);
      // Each saw a different number of vehicles before it: none computed on a stale read.
      expect(results.map((r) => (r === 'conflict' ? -1 : r.result)).sort()).toEqual([0, 1, 2, 3]);
      const set = await store.terminals.bindingSet();
      expect(set.version).toBe(4);
      expect(new Set([...set.vehicles.values()].map((b) => b.jt808!.phone))).toEqual(new Set(['100', '101', '102', '103']));
      // Nothing to write: no version spent.
      expect(await updateBindings(store.terminals, () => ({ result: 'none' }))).toEqual({ result: 'none', version: 4 });
    });

    it('keeps unknown terminals merged per identity, newest first, the cap most recently seen only', async () => {
      await store.terminals.recordUnknown(sighting('013900000099', 1000, { terminalId: 'X1' }), 3);
      // The same terminal spelt with the 2013 header's padding or without it: one entry.
      await store.terminals.recordUnknown(sighting('13900000099', 2000, { messages: 4, lastMessage: '0x0200', lastPosition: { lng: 95.7, lat: 40.5, at: 1900 } }), 3);
      let list = await store.terminals.unknownTerminals();
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({
        identity: '13900000099',
        firstSeen: 1000,
        lastSeen: 2000,
        messages: 5,
        lastMessage: '0x0200',
        terminalId: 'X1',
        lastPosition: { lng: 95.7, lat: 40.5, at: 1900 },
      });
      // An OsmAnd id of the same digits is another identity.
      await store.terminals.recordUnknown(sighting('13900000099', 3000, { kind: 'osmand', lastMessage: 'osmand', hasKey: true, keyHash: 'a'.repeat(64) }), 3);
      await store.terminals.recordUnknown(sighting('222', 4000), 3);
      await store.terminals.recordUnknown(sighting('333', 5000), 3);
      list = await store.terminals.unknownTerminals();
      expect(list.map((u) => `${u.kind}:${u.identity}`)).toEqual(['jt808:333', 'jt808:222', 'osmand:13900000099']);
      expect(list[2]).toMatchObject({ hasKey: true, keyHash: 'a'.repeat(64), lastPosition: null, terminalId: null });
      expect(await store.terminals.forgetUnknown('osmand', '13900000099')).toBe(true);
      expect(await store.terminals.forgetUnknown('osmand', '13900000099')).toBe(false);
      expect((await store.terminals.unknownTerminals()).map((u) => u.identity)).toEqual(['333', '222']);
    });
  });
}
