// The unknown-terminal recorder's bounds: one write per identity per throttle interval (every
// message still counted), a budget of writes per interval in all, a bounded number of identities
// tracked in the process, the store keeping only the cap most recently seen, and nothing
// written for an identity bound meanwhile.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTerminalStore } from '../../server/store/memory/terminals.ts';
import { UnknownRecorder } from '../../server/terminals/unknown-recorder.ts';

describe('the unknown-terminal recorder', () => {
  let now = 1_000_000;
  let recorder: UnknownRecorder | null = null;
  afterEach(() => recorder?.close());
  const make = (store: MemoryTerminalStore, bound = new Set<string>(), options = {}) =>
    (recorder = new UnknownRecorder(
      store,
      () => now,
      (_kind, identity) => bound.has(identity),
      (err) => {
        throw err;
      },
      { throttleMs: 60_000, ...options },
    ));
  const sight = (identity: string, extra = {}) => ({ kind: 'jt808' as const, identity, remote: '10.1.1.1', lastMessage: '0x0002', ...extra });

  it('writes an identity once per interval and adds the messages seen meanwhile', async () => {
    const store = new MemoryTerminalStore();
    let writes = 0;
    const record = store.recordUnknown.bind(store);
    store.recordUnknown = (e, cap) => (writes++, record(e, cap));
    const r = make(store);
    r.note(sight('1390001', { lastMessage: '0x0100', terminalId: 'T9' }));
    for (let i = 0; i < 99; i++) r.note(sight('1390001', { lastMessage: '0x0200', lastPosition: { lng: 95, lat: 40, at: i } }));
    await r.settled();
    expect(writes).toBe(1);
    r.flush(); // within the interval: nothing
    expect(writes).toBe(1);
    now += 60_000;
    r.flush();
    await r.settled();
    expect(writes).toBe(2);
    const [entry] = await store.unknownTerminals();
    expect(entry).toMatchObject({ identity: '1390001', messages: 100, lastMessage: '0x0200', terminalId: 'T9', lastPosition: { at: 98 }, firstSeen: 1_000_000 });
  });

  it('keeps the store to the cap most recently seen, the process to maxTracked, and the writes within the budget', async () => {
    const store = new MemoryTerminalStore();
    const r = make(store, new Set(), { cap: 20, maxTracked: 50, writesPerInterval: 30 });
    for (let i = 0; i < 100; i++) {
      now += 1;
      r.note(sight(`5${String(i).padStart(6, '0')}`));
    }
    await r.settled();
    // 30 written (the budget), the other 70 deferred to later intervals.
    expect(r.deferred).toBe(70);
    let listed = await store.unknownTerminals();
    expect(listed).toHaveLength(20);
    expect(listed[0]!.identity).toBe('5000029');
    now += 60_000;
    r.flush();
    await r.settled();
    listed = await store.unknownTerminals();
    // Of the 70 deferred, only the 50 most recently seen were still tracked; the store keeps the newest 20 of them.
    expect(listed).toHaveLength(20);
    expect(listed.map((u) => u.identity)).toContain('5000099');
    expect(listed.map((u) => u.identity)).not.toContain('5000049');
  });

  it('drops what was pending for an identity bound since', async () => {
    const store = new MemoryTerminalStore();
    const bound = new Set<string>();
    const r = make(store, bound);
    r.note(sight('777'));
    r.note(sight('777'));
    await r.settled();
    await store.forgetUnknown('jt808', '777');
    bound.add('777');
    now += 60_000;
    r.flush();
    await r.settled();
    expect(await store.unknownTerminals()).toEqual([]);
  });
});
