// Real terminals' frames (test/fixtures/jt808) sent over real TCP to the running gateway:
// a Carscop CCTR-830G report whose vendor item overruns the body is acknowledged with
// result 0 and moves its unit; the same after line noise holding a stray 0x7e; a frame
// with the 2019 flag over a 2013 header is answered in the layout it used; a checksum of
// 0x7d sent unescaped is accepted.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksum, escape, type Message } from '../../server/ingest/jt808/frame.ts';
import { MSG, REGISTER, REPLY } from '../../server/ingest/jt808/messages.ts';
import { terminalKey } from '../../server/county/county.ts';
import { Terminal } from '../helpers/jt808-terminal.ts';
import { sampleCounty, startTestServer, type TestServer } from '../helpers/server.ts';

interface RealFrame {
  id: string;
  hex: string;
  wireHexDerived?: string;
}
const frames = JSON.parse(readFileSync('test/fixtures/jt808/real-frames.json', 'utf8')) as RealFrame[];
const wire = (id: string) => {
  const f = frames.find((x) => x.id === id)!;
  return Buffer.from(f.wireHexDerived ?? f.hex, 'hex');
};
const CARSCOP = '202000129707'; // F050's terminal
const F110_PHONE = '010030000681';
/** F012's terminal puts a binary IMEI where the phone number goes: an identity of its own kind. */
const IMEI_TERMINAL = 'x4eb6fb4afd9e';

describe('real terminals over TCP', () => {
  // F050's device time: 2020-11-03 03:17:33 +08:00; the platform's clock a few seconds on.
  let now = Date.UTC(2020, 10, 2, 19, 17, 38);
  let srv: TestServer;
  let port: number;
  let t: Terminal;

  beforeAll(async () => {
    const county = await sampleCounty();
    const terminals = new Map(county.terminals);
    terminals.set(terminalKey(CARSCOP), { ambulanceId: 'NP04' });
    terminals.set(terminalKey(F110_PHONE), { ambulanceId: 'NP05' });
    terminals.set(terminalKey(IMEI_TERMINAL), { ambulanceId: 'NP03' });
    srv = await startTestServer({ clock: () => now, county: { ...county, terminals }, config: { jt808: { port: 0 } } });
    port = srv.app.jt808!.port;
    for (const id of ['NP04', 'NP03']) {
      const unit = (await srv.store.get('ambulances', id))!;
      await srv.store.apply([{ op: 'upsert', collection: 'ambulances', entity: { ...unit, fix: null, gridId: null } }], now); // no earlier fix to judge a jump from
    }
    t = new Terminal(port, CARSCOP);
    const { result, code } = await t.register('CCTR830');
    expect(result).toBe(REGISTER.ok);
    expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
  });
  afterAll(async () => {
    t?.close();
    await srv?.close();
  });

  const replyTo = (m: Message) => ({ serial: m.body.readUInt16BE(0), messageId: m.body.readUInt16BE(2), result: m.body[4] });

  it('acknowledges a report whose vendor item overruns the body with result 0, and keeps its fix', async () => {
    const tails = srv.app.jt808!.brokenTails;
    t.sendRaw(wire('F050'));
    const reply = await t.next();
    expect(reply.header.messageId).toBe(MSG.platformReply);
    expect(replyTo(reply)).toEqual({ serial: 28, messageId: MSG.location, result: REPLY.ok });
    expect(srv.app.jt808!.brokenTails).toBe(tails + 1);
    const fix = (await srv.store.get('ambulances', 'NP04'))!.fix!;
    expect([fix.lat, fix.lng, fix.at]).toEqual([-27.455656, 153.029616, Date.UTC(2020, 10, 2, 19, 17, 33)]);
  });

  it('finds the report after line noise holding a stray 0x7e', async () => {
    t.sendRaw(Buffer.concat([Buffer.from('7e0102037e', 'hex').subarray(0, 4), wire('F050')]));
    expect(replyTo(await t.next())).toEqual({ serial: 28, messageId: MSG.location, result: REPLY.ok });
  });

  it('accepts a checksum of 0x7d sent unescaped just before the closing flag', async () => {
    const head = (serial: number) => Buffer.concat([Buffer.from('00020000', 'hex'), Buffer.from(CARSCOP, 'hex'), Buffer.from([serial >> 8, serial & 0xff])]);
    let serial = 0;
    while (checksum(head(serial)) !== 0x7d) serial++;
    t.sendRaw(Buffer.concat([Buffer.from([0x7e]), escape(head(serial)), Buffer.from([0x7d, 0x7e])]));
    expect(replyTo(await t.next())).toEqual({ serial, messageId: MSG.heartbeat, result: REPLY.ok });
  });

  it('tracks a terminal whose identity is a binary IMEI, and answers with its bytes exactly as sent (F012)', async () => {
    const imei = new Terminal(port, IMEI_TERMINAL);
    try {
      const { result, code, reply } = await imei.register('JC371');
      expect(result).toBe(REGISTER.ok);
      expect(reply.header.phoneBytes.toString('hex')).toBe('4eb6fb4afd9e');
      expect(reply.header.phone).toBe(IMEI_TERMINAL);
      expect(await imei.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
      now = Date.UTC(2025, 10, 12, 7, 47, 0); // F012's batch: 2025-11-12 15:45:45–15:46:32 +08:00
      imei.sendRaw(wire('F012'));
      const ack = await imei.next();
      expect(ack.header.phoneBytes.toString('hex')).toBe('4eb6fb4afd9e');
      expect(replyTo(ack)).toEqual({ serial: 18523, messageId: MSG.batchLocation, result: REPLY.ok });
      expect((await srv.store.get('ambulances', 'NP03'))!.fix?.at).toBe(Date.UTC(2025, 10, 12, 7, 46, 32));
      // A phone number whose digits happen to read the same is another identity.
      expect(srv.app.terminals.directory.jt808Of('4eb6fb4afd9e')).toBeUndefined();
      expect(srv.app.terminals.directory.jt808Of(IMEI_TERMINAL)?.ambulanceId).toBe('NP03');
    } finally {
      imei.close();
    }
  });

  it('answers a frame with the 2019 flag over a 2013 header, in the 2013 layout (F110)', async () => {
    const other = new Terminal(port, F110_PHONE);
    try {
      await other.connected();
      other.sendRaw(wire('F110')); // an authentication with a code this platform never issued
      const reply = await other.next();
      expect(reply.header).toMatchObject({ messageId: MSG.platformReply, phone: F110_PHONE, version2019: false });
      expect(replyTo(reply)).toEqual({ serial: 2306, messageId: MSG.authenticate, result: REPLY.failure });
    } finally {
      other.close();
    }
    now += 1000;
  });
});
