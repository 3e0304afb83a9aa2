// The bindings a process serves: the county's file until the store is read, then the store's set,
// each identity within its own kind (a JT/T 808 phone without its padding zeros, an OsmAnd id exactly),
// and whatever the store holds at each load, a store that came back empty included.
import { describe, expect, it } from 'vitest';
import { MemoryTerminalStore } from '../../server/store/memory/terminals.ts';
import { TerminalDirectory, servedMaps } from '../../server/terminals/directory.ts';
import { seedFromCounty } from '../../server/terminals/bindings.ts';

const county = {
  terminals: new Map([['13900000001', { ambulanceId: 'NP01', terminalId: 'GZ00001' }]]),
  osmandDevices: new Map([
    ['013900000001', { ambulanceId: 'NP01' }], // no key, no configured id: not an OsmAnd binding
    ['li-phone', { ambulanceId: 'NP02', osmandId: 'li-phone', osmandKeyHash: 'c'.repeat(64) }],
  ]),
};

describe('the terminal directory', () => {
  it('serves the county file first, then the store, by kind', async () => {
    const directory = new TerminalDirectory(servedMaps(seedFromCounty(county, 0)));
    expect(directory.version).toBe(-1);
    expect(directory.jt808Of('013900000001')).toEqual({ ambulanceId: 'NP01', terminalId: 'GZ00001' });
    expect(directory.osmandOf('013900000001')).toBeUndefined();
    expect(directory.osmandOf('li-phone')).toEqual({ ambulanceId: 'NP02', osmandId: 'li-phone', osmandKeyHash: 'c'.repeat(64) });
    expect(directory.jt808Of('li-phone')).toBeUndefined();

    const store = new MemoryTerminalStore();
    await store.writeBindings(0, [
      { ambulanceId: 'AMB01', binding: { ambulanceId: 'AMB01', jt808: { phone: 'x4eb6fb4afd9e' }, osmand: null, version: 1, updatedAt: 1, updatedBy: 'admin' } },
    ]);
    await store.writeBindings(1, [
      { ambulanceId: 'AMB01', binding: { ambulanceId: 'AMB01', jt808: { phone: 'x4eb6fb4afd9e' }, osmand: { deviceId: 'Wang' }, version: 2, updatedAt: 2, updatedBy: 'admin' } },
    ]);
    expect(await directory.reload(store)).toBe(2);
    expect(directory.jt808Of('013900000001')).toBeUndefined();
    expect(directory.jt808Of('x4eb6fb4afd9e')?.ambulanceId).toBe('AMB01');
    expect(directory.jt808Of('4eb6fb4afd9e')).toBeUndefined();
    expect(directory.osmandOf('wang')).toBeUndefined();
    expect(directory.isBound('osmand', 'Wang')).toBe(true);

    // The store back empty (version 0): served as it is, not the larger version held before.
    expect(await directory.reload(new MemoryTerminalStore())).toBe(0);
    expect(directory.isBound('jt808', 'x4eb6fb4afd9e')).toBe(false);
  });
});
