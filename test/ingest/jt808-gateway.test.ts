// The JT/T 808 gateway over real TCP with the real app: a terminal registers,
// authenticates and reports; the ambulance moves in the store. Unknown terminals,
// reports before authentication, malformed bodies, jumps and batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import { Terminal, registrationBody } from '../helpers/jt808-terminal.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PHONE = '013900000003'; // NP03 in data/guazhou/terminals.json, terminal id GZ00003
const registration = registrationBody('GZ00003');

describe('the JT/T 808 gateway', () => {
  let now = Date.UTC(2026, 10, 23, 4, 0, 0);
  let srv: TestServer;
  let port: number;
  let authCode = '';

  beforeAll(async () => {
    srv = await startTestServer({ clock: () => now, config: { jt808: { port: 0 } } });
    port = srv.app.jt808!.port;
    // NP03 waits 400 m from where its reports below put it (a nearer first report than a jump).
    const np03 = (await srv.store.get('ambulances', 'NP03'))!;
    await srv.store.apply([{ op: 'upsert', collection: 'ambulances', entity: { ...np03, fix: { lng: 95.79016, lat: 40.519602, at: now - 60_000, speed: 0, heading: 0 } } }], now);
  });
  afterAll(() => srv?.close());

  it('registers, authenticates and moves the ambulance with each report', async () => {
    const t = new Terminal(port, PHONE);
    const regSerial = t.send(MSG.register, registration);
    const reply = await t.next();
    expect(reply.header.messageId).toBe(MSG.registerReply);
    expect(reply.header.phone).toBe(PHONE);
    expect(reply.body.readUInt16BE(0)).toBe(regSerial);
    expect(reply.body[2]).toBe(REGISTER.ok);
    authCode = reply.body.subarray(3).toString('latin1');
    expect(authCode).toMatch(/^[0-9a-f]{32}$/);

    // Not yet authenticated: reports are refused.
    expect(await t.ask(MSG.location, locationBody({ lat: 40.52, lng: 95.78, speed: 30, heading: 10, at: now }))).toBe(REPLY.failure);
    expect(await t.ask(MSG.authenticate, Buffer.from('wrong-code-00000'))).toBe(REPLY.failure);
    expect(await t.ask(MSG.authenticate, Buffer.from(authCode))).toBe(REPLY.ok);
    expect(await t.ask(MSG.heartbeat, Buffer.alloc(0))).toBe(REPLY.ok);

    now += 10_000;
    expect(await t.ask(MSG.location, locationBody({ lat: 40.5231, lng: 95.7912, speed: 42.5, heading: 95, at: now }))).toBe(REPLY.ok);
    const unit = await srv.store.get('ambulances', 'NP03');
    expect(unit?.fix).toEqual({ lng: 95.7912, lat: 40.5231, at: now, speed: 42.5, heading: 95 });
    expect(unit?.gridId).toBe(srv.app.county.locator.locate(95.7912, 40.5231)?.id);
    t.close();
  });

  it('answers an unknown terminal with "no such terminal" and no auth code', async () => {
    const t = new Terminal(port, '013999999999');
    t.send(MSG.register, registration);
    const reply = await t.next();
    expect(reply.body.subarray(2)).toEqual(Buffer.from([REGISTER.noSuchTerminal]));
    t.close();
  });

  it('filters jumps and counts them, writes the newest of a batch, and says when a body is malformed', async () => {
    const t = new Terminal(port, PHONE);
    expect(await t.ask(MSG.authenticate, Buffer.from(authCode))).toBe(REPLY.ok);
    const jumpsBefore = srv.app.jt808!.counters.refused.jump;
    now += 10_000;
    // 60 km in 10 s: acknowledged (so the terminal does not resend) but not written.
    expect(await t.ask(MSG.location, locationBody({ lat: 40.9, lng: 96.3, speed: 42, heading: 95, at: now }))).toBe(REPLY.ok);
    expect(srv.app.jt808!.counters.refused.jump).toBe(jumpsBefore + 1);
    expect((await srv.store.get('ambulances', 'NP03'))?.fix?.lat).toBe(40.5231);

    // A blind-area batch of three fixes a second apart: all judged, the newest shown.
    const fixes = [1, 2, 3].map((i) => locationBody({ lat: 40.5231 + i * 0.0001, lng: 95.7912, speed: 40, heading: 0, at: now + i * 1000 }));
    const batch = Buffer.concat([Buffer.from([0, 3, 1]), ...fixes.flatMap((f) => [Buffer.from([0, f.length]), f])]);
    expect(await t.ask(MSG.batchLocation, batch)).toBe(REPLY.ok);
    expect((await srv.store.get('ambulances', 'NP03'))?.fix).toMatchObject({ lat: 40.5234, at: now + 3000 });

    expect(await t.ask(MSG.location, Buffer.alloc(10))).toBe(REPLY.malformed);
    expect(await t.ask(0x0900, Buffer.alloc(1))).toBe(REPLY.unsupported);
    // A broken frame is dropped without a reply; the connection goes on.
    t.sendRaw(Buffer.from([0x7e, 0x00, 0x02, 0x00, 0x00, 0x01, 0x7e]));
    expect(await t.ask(MSG.heartbeat, Buffer.alloc(0))).toBe(REPLY.ok);
    t.close();
  });
});
