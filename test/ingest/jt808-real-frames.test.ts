// JT/T 808 frames captured from real terminals (test/fixtures/jt808, with their sources),
// through the same FrameReader and message parsers the gateway uses: every frame whose bytes
// are consistent is read, every location report keeps its fix, and the devices' known quirks
// (a broken trailing item, the 2019 flag on a 2013 header, a stray flag before a good frame,
// an unescaped 0x7d checksum) cost no report.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, unescape } from '../../server/ingest/jt808/frame.ts';
import { readFrames } from '../helpers/jt808-terminal.ts';
import { MSG, parseAuthentication, parseBatchLocation, parseLocation, parseRegistration } from '../../server/ingest/jt808/messages.ts';

interface RealFrame {
  id: string;
  hex: string;
  msgId: string;
  phone?: string;
  escapingForm: 'same' | 'wire' | 'deframed' | 'inconsistent-wire';
  wireHexDerived?: string;
  quirks?: string[];
}

const frames = JSON.parse(readFileSync('test/fixtures/jt808/real-frames.json', 'utf8')) as RealFrame[];
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** The bytes as a terminal puts them on the wire. */
const wire = (f: RealFrame) => hex(f.wireHexDerived ?? f.hex);
/** Frames whose bytes are not consistent as published: a hand-edited checksum or length (Traccar never checks them). */
const inconsistent = (f: RealFrame) => f.escapingForm === 'inconsistent-wire' || (f.quirks ?? []).some((q) => /checksum byte does not match|declared body length/.test(q));

const read = readFrames;

describe('JT/T 808 frames from real terminals', () => {
  const consistent = frames.filter((f) => !inconsistent(f));

  it('has the published set', () => {
    expect(frames).toHaveLength(62);
    expect(consistent.length).toBeGreaterThan(50);
  });

  it('reads every consistent frame, each as one message with the phone and id it carries', () => {
    const failed: string[] = [];
    for (const f of consistent) {
      const { messages, errors } = read(wire(f));
      if (messages.length !== 1 || errors.length > 0) {
        failed.push(`${f.id}: ${errors.join('; ')}`);
        continue;
      }
      expect(messages[0]!.header.messageId, f.id).toBe(Number(f.msgId));
    }
    expect(failed).toEqual([]);
  });

  it('keeps the fix of every location report and batch, with coordinates and times that make sense', () => {
    const reports = consistent.filter((f) => f.msgId === '0x0200' || f.msgId === '0x0704');
    expect(reports.length).toBeGreaterThan(40);
    for (const f of reports) {
      const [m] = read(wire(f)).messages;
      const locations = m!.header.messageId === MSG.location ? [parseLocation(m!.body)] : parseBatchLocation(m!.body).locations;
      expect(locations.length, f.id).toBeGreaterThan(0);
      for (const l of locations) {
        expect(Math.abs(l.lat), f.id).toBeLessThanOrEqual(90);
        expect(Math.abs(l.lng), f.id).toBeLessThanOrEqual(180);
        expect(l.at, f.id).toBeGreaterThan(Date.UTC(2000, 0, 1));
      }
    }
  });

  it('keeps the basic block of a report whose vendor item overruns the body (Carscop CCTR-830G, F050)', () => {
    const f = frames.find((x) => x.id === 'F050')!;
    const { messages, errors } = read(wire(f));
    expect(errors).toEqual([]);
    const l = parseLocation(messages[0]!.body);
    expect(l.brokenTail).not.toBeNull();
    expect(l.brokenTail![0]).toBe(0x00); // the item 0x00 declaring 120 bytes
    expect(l.brokenTail).toEqual(hex('0078 00000000 18000000'));
    expect(l.status).toMatchObject({ located: true, south: true, west: false });
    expect(l.lat).toBeCloseTo(-27.455656, 6); // 0x01a2f0a8, south
    expect(l.lng).toBeCloseTo(153.029616, 6); // 0x091f0bf0
    expect(l.at).toBe(Date.UTC(2020, 10, 2, 19, 17, 33)); // BCD 201103031733, +08:00
  });

  it('reads a frame that sets the 2019 flag over a 2013 header as 2013 (F110)', () => {
    const f = frames.find((x) => x.id === 'F110')!;
    const { messages, errors } = read(wire(f));
    expect(errors).toEqual([]);
    expect(messages[0]!.header).toMatchObject({ messageId: MSG.authenticate, phone: '010030000681', version2019: false, serial: 2306 });
    expect(parseAuthentication(messages[0]!.body, messages[0]!.header.version2019)).toBe('J10030000681'); // 12 bytes: the 2013 body is the code alone
    // A true 2019 frame is still read as 2019.
    const registration = frames.find((x) => x.msgId === '0x0100' && (Number.parseInt(x.hex.slice(6, 10), 16) & 0x4000) !== 0 && !inconsistent(x));
    if (registration) {
      const [m] = read(wire(registration)).messages;
      expect(m!.header.version2019).toBe(true);
      expect(() => parseRegistration(m!.body, true)).not.toThrow();
    }
  });

  it('reads an identity that is not BCD (a binary IMEI) as x + hex, and writes the same bytes back', () => {
    const bcdless = consistent.filter((f) => (f.quirks ?? []).some((q) => /not BCD digits/.test(q)));
    expect(bcdless.length).toBeGreaterThan(0);
    for (const f of bcdless) {
      const [m] = read(wire(f)).messages;
      expect(m!.header.phone, f.id).toBe(`x${f.phone}`);
      expect(m!.header.phoneBytes.toString('hex'), f.id).toBe(f.phone);
      const echoed = decodeMessage(unescape(encodeMessage(MSG.platformReply, m!.header.phoneBytes, 1, Buffer.alloc(5)).subarray(1, -1)));
      expect(echoed.header.phoneBytes).toEqual(m!.header.phoneBytes);
      expect(decodeMessage(unescape(encodeMessage(MSG.platformReply, m!.header.phone, 1, Buffer.alloc(5)).subarray(1, -1))).header.phone).toBe(m!.header.phone);
    }
    // A digit string stays a phone number, leading zeros and all.
    expect(read(wire(frames.find((x) => x.id === 'F110')!)).messages[0]!.header.phone).toBe('010030000681');
  });

  it('finds the good frame after garbage holding a stray 0x7e', () => {
    const good = wire(frames.find((x) => x.id === 'F050')!);
    const { messages, errors } = read(hex('7e 01 02 03'), good);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.header.messageId).toBe(MSG.location);
    expect(errors).toHaveLength(1); // the stray run was rejected, and said so
    // Also within one chunk, and with a rejected frame right before the good one.
    expect(read(Buffer.concat([hex('7e 0002 0000 013912345678 0001 00 7e'), good])).messages).toHaveLength(1);
  });

  it('accepts a checksum of 0x7d sent unescaped before the closing flag, and stays strict elsewhere', () => {
    // Heartbeat from 013912345678, serial 0x004f: its checksum is 0x7d.
    const raw = hex('0002 0000 013912345678 004f');
    const unescaped = hex('7e 0002 0000 013912345678 004f 7d 7e');
    const { messages, errors } = read(unescaped);
    expect(errors).toEqual([]);
    expect(messages[0]!.header).toMatchObject({ messageId: MSG.heartbeat, serial: 0x4f });
    expect(decodeMessage(unescape(Buffer.concat([raw, hex('7d01')]))).header.serial).toBe(0x4f); // escaped as it should be
    expect(() => unescape(hex('30 7d 55 7d01'))).toThrow(/bad escape/); // a lone 0x7d inside is still refused
  });
});
