// Who may speak for a vehicle over JT/T 808, and what one connection may cost (issue 15,
// points 9 and 10), over real TCP to the running gateway with the store in a real Redis:
// registration bound to the terminal's identity, once; random auth codes kept in the
// store and accepted by another process; one answer for unknown and mismatched
// terminals; limits per address; future fixes; back-pressure, caps and the auth timeout.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import type { Jt808Limits } from '../../server/ingest/jt808/gateway.ts';
import { encodeMessage } from '../../server/ingest/jt808/frame.ts';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import { Terminal } from '../helpers/jt808-terminal.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

describe('JT/T 808 terminals prove who they are (Redis)', () => {
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let limited: TestServer;
  let now = Math.floor(Date.now() / 1000) * 1000; // whole seconds, as JT/T 808 times are
  const limits = (overrides: Partial<Jt808Limits>): Jt808Limits => ({ ...testConfig().jt808Limits, ...overrides });

  beforeAll(async () => {
    redis = await startRedis();
    const shared = { redis: { url: redis.url, prefix: redis.prefix }, clock: () => now };
    // Two gateway processes on one store, with different secrets: the code is the store's, not a derivation.
    a = await startTestServer({ ...shared, config: { jt808: { port: 0 }, jt808Limits: limits({ authTimeoutMs: 1000, connectionsPerAddress: 4 }) } });
    b = await startTestServer({ ...shared, config: { jt808: { port: 0 } } });
    limited = await startTestServer({
      redis: { url: redis.url, prefix: `${redis.prefix}limited:` },
      clock: () => now,
      config: { jt808: { port: 0 }, jt808Limits: limits({ registrationsPerAddress: 3, authFailuresPerAddress: 3, windowMs: 60_000 }) },
    });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), limited?.close()]);
    await redis?.stop();
  });

  // Every connection a test opened is closed after it, passed or failed.
  const opened: Terminal[] = [];
  afterEach(() => opened.splice(0).forEach((t) => t.close()));
  const terminal = (srv: TestServer, phone: string) => {
    const t = new Terminal(srv.app.jt808!.port, phone);
    opened.push(t);
    return t;
  };
  /** A fix 10 m north of the unit's current one, `ms` after it. */
  const nearby = async (id: string, north: number, at: number) => {
    const fix = (await a.store.get('ambulances', id))!.fix!;
    return { lat: Math.round((fix.lat + north) * 1e6) / 1e6, lng: fix.lng, speed: 20, heading: 0, at };
  };

  it('refuses a registration naming another terminal id with result 4, byte for byte the answer to an unknown phone', async () => {
    const wrong = terminal(a, '013900000005'); // NP05, bound to terminal GZ00005
    const wrongId = await wrong.register('EVIL001', 7);
    expect(wrongId.result).toBe(REGISTER.noSuchTerminal);
    expect(wrongId.code).toBe('');
    const unknown = terminal(a, '013999999999');
    const unknownPhone = await unknown.register('EVIL001', 7);
    expect(unknownPhone.reply.header.messageId).toBe(wrongId.reply.header.messageId);
    expect(unknownPhone.reply.body.equals(wrongId.reply.body)).toBe(true);
    expect(wrongId.reply.body).toEqual(Buffer.from([0, 7, REGISTER.noSuchTerminal]));
    // Nothing was bound by the refused attempt: the right terminal still registers.
    expect((await wrong.register('GZ00005')).result).toBe(REGISTER.ok);
    expect(await wrong.ask(MSG.authenticate, Buffer.from('0'.repeat(32)))).toBe(REPLY.failure);
    wrong.close();
    unknown.close();
  });

  it('refuses to register a bound terminal again (result 3), even with its own identity', async () => {
    const t = terminal(a, '013900000007');
    const first = await t.register('GZ00007');
    expect(first.result).toBe(REGISTER.ok);
    const again = terminal(a, '013900000007');
    const second = await again.register('GZ00007');
    expect(second.result).toBe(REGISTER.terminalTaken);
    expect(second.code).toBe('');
    // The code of the first registration still holds.
    expect(await again.ask(MSG.authenticate, Buffer.from(first.code))).toBe(REPLY.ok);
    t.close();
    again.close();
  });

  it('gives random codes kept in the store: another process accepts one; after an admin clears the terminal, its new code replaces the old', async () => {
    const phone = '013900000006'; // AMB01
    const t = terminal(a, phone);
    const first = await t.register('GZ00006');
    expect(first.result).toBe(REGISTER.ok);
    expect(first.code).toMatch(/^[0-9a-f]{32}$/);
    t.close();

    const onB = terminal(b, phone);
    expect(await onB.ask(MSG.authenticate, Buffer.from(first.code))).toBe(REPLY.ok);
    now += 1000;
    const moved = await nearby('AMB01', 0.0001, now);
    expect(await onB.ask(MSG.location, locationBody(moved))).toBe(REPLY.ok);
    expect((await a.store.get('ambulances', 'AMB01'))?.fix).toMatchObject({ lat: moved.lat, lng: moved.lng, at: now });
    onB.close();

    expect(await a.store.clearTerminalRegistration('13900000006')).toBe(true);
    const again = terminal(a, phone);
    const second = await again.register('GZ00006');
    expect(second.result).toBe(REGISTER.ok);
    expect(second.code).toMatch(/^[0-9a-f]{32}$/);
    expect(second.code).not.toBe(first.code);
    again.close();
    const later = terminal(b, phone);
    expect(await later.ask(MSG.authenticate, Buffer.from(first.code))).toBe(REPLY.failure);
    expect(await later.ask(MSG.location, locationBody(await nearby('AMB01', 0.0001, now + 500)))).toBe(REPLY.failure);
    expect(await later.ask(MSG.authenticate, Buffer.from(second.code))).toBe(REPLY.ok);
    later.close();
  });

  it('limits registrations and failed authentications per address: past the limit even the right terminal waits for the next window', async () => {
    const guesser = terminal(limited, '013900000008'); // AMB03, GZ00008
    for (const id of ['GUESS01', 'GUESS02', 'GUESS03']) expect((await guesser.register(id)).result).toBe(REGISTER.noSuchTerminal);
    expect((await guesser.register('GZ00008')).result).toBe(REGISTER.noSuchTerminal);
    await guesser.closed; // and the connection is ended
    expect(limited.app.jt808!.refused.registrations).toBe(1);

    now += 60_000;
    const t = terminal(limited, '013900000008');
    const registered = await t.register('GZ00008');
    expect(registered.result).toBe(REGISTER.ok);
    for (let i = 0; i < 3; i++) expect(await t.ask(MSG.authenticate, Buffer.from(`${i}`.repeat(32)))).toBe(REPLY.failure);
    expect(await t.ask(MSG.authenticate, Buffer.from(registered.code))).toBe(REPLY.failure);
    await t.closed;
    expect(limited.app.jt808!.refused.authentications).toBe(1);

    now += 60_000;
    const back = terminal(limited, '013900000008');
    expect(await back.ask(MSG.authenticate, Buffer.from(registered.code))).toBe(REPLY.ok);
    back.close();
  });

  it('does not let a fix from the future hold the unit: it is refused, and the next genuine fix moves the unit', async () => {
    const t = terminal(a, '013900000009'); // AMB04
    const { code } = await t.register('GZ00009');
    expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
    now += 1000;
    const futureBefore = a.app.jt808!.counters.refused.future;
    // 50 s ahead (within the 60 s once tolerated) and an hour ahead, each a plausible drive from the unit's fix.
    for (const ahead of [50_000, 3_600_000]) {
      // Acknowledged (the terminal must not resend it) but not written.
      expect(await t.ask(MSG.location, locationBody(await nearby('AMB04', 0.001, now + ahead)))).toBe(REPLY.ok);
    }
    expect(a.app.jt808!.counters.refused.future).toBe(futureBefore + 2);
    now += 1000;
    const genuine = await nearby('AMB04', 0.0001, now);
    expect(await t.ask(MSG.location, locationBody(genuine))).toBe(REPLY.ok);
    expect((await a.store.get('ambulances', 'AMB04'))?.fix).toMatchObject({ lat: genuine.lat, lng: genuine.lng, at: now });
    t.close();
  });

  it('stops reading from a client that sends and never reads: the replies it has not taken stay bounded', async () => {
    const t = terminal(a, '013900000010'); // AMB05
    const { code } = await t.register('GZ00010');
    expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
    const server = [...a.app.jt808!.sockets].find((s) => s.remotePort === t.socket.localPort)!;
    expect(server).toBeDefined();
    t.socket.pause(); // never reads again
    // 600,000 heartbeats (9 MB) whose replies (12 MB) exceed what the kernel's buffers hold.
    const heartbeat = encodeMessage(MSG.heartbeat, t.phone, 1, Buffer.alloc(0));
    const flood = Buffer.alloc(heartbeat.length * 600_000);
    for (let o = 0; o < flood.length; o += heartbeat.length) heartbeat.copy(flood, o);
    t.sendRaw(flood);
    await waitFor(() => server.isPaused(), 'the server pauses the socket', 15_000, 20);
    // Reading has stopped short of the flood, and what waits to be sent is about one read's worth.
    await new Promise((r) => setTimeout(r, 300));
    expect(server.isPaused()).toBe(true);
    expect(server.bytesRead).toBeLessThan(flood.length);
    expect(server.writableLength).toBeLessThan(1024 * 1024);
    t.close();
    await waitFor(() => !a.app.jt808!.sockets.has(server), 'the server forgets the socket', 15_000, 20);
  });

  it('closes a connection that does not authenticate in time, and keeps one that did', async () => {
    const idle = terminal(a, '013900000011');
    await idle.connected();
    const t = terminal(a, '013900000012'); // AMB07
    const { code } = await t.register('GZ00012');
    expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
    await idle.closed; // after JT808_AUTH_TIMEOUT_SECONDS (1 s here) without authenticating
    expect(t.socket.destroyed).toBe(false);
    expect(await t.ask(MSG.heartbeat, Buffer.alloc(0))).toBe(REPLY.ok);
    t.close();
  });

  it('caps the connections from one address: the fifth of four is closed at once', async () => {
    await waitFor(() => a.app.jt808!.connections === 0, 'earlier connections closed', 15_000, 20);
    const open = Array.from({ length: 4 }, () => terminal(a, '013999999999'));
    await Promise.all(open.map((t) => t.connected()));
    await waitFor(() => a.app.jt808!.connections === 4, 'four connections accepted', 15_000, 20);
    const refusedBefore = a.app.jt808!.refused.connections;
    const fifth = terminal(a, '013999999999');
    await fifth.closed;
    expect(a.app.jt808!.refused.connections).toBe(refusedBefore + 1);
    expect(a.app.jt808!.connections).toBe(4);
    // One closes: a new one is let in.
    open[0]!.close();
    await waitFor(() => a.app.jt808!.connections === 3, 'one connection gone', 15_000, 20);
    const sixth = terminal(a, '013999999999');
    expect(await sixth.ask(MSG.heartbeat, Buffer.alloc(0))).toBe(REPLY.failure);
    for (const t of [...open, sixth]) t.close();
  });
});
