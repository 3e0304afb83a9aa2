// JT/T 808 framing and messages against byte sequences written out from the standard
// (JT/T 808-2013 §4–§8; the 2019 header for one case), including broken frames.
import { describe, expect, it } from 'vitest';
import { FrameReader, FrameError, decodeMessage, encodeMessage, escape, unescape } from '../../server/ingest/jt808/frame.ts';
import { readFrames } from '../helpers/jt808-terminal.ts';
import { MSG, generalReply, locationBody, parseBatchLocation, parseLocation, parseRegistration, registrationReply } from '../../server/ingest/jt808/messages.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const read = readFrames;

describe('JT/T 808 frames', () => {
  // Heartbeat 0x0002 from terminal 013912345678, serial 1, empty body; checksum 0x33.
  const heartbeat = hex('7e 0002 0000 013912345678 0001 33 7e');

  it('reads a heartbeat: id, empty body, BCD phone with its leading zero, serial', () => {
    const { messages, errors } = read(heartbeat);
    expect(errors).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.header).toMatchObject({ messageId: 0x0002, bodyLength: 0, phone: '013912345678', serial: 1, version2019: false, packet: null });
  });

  it('unescapes 0x7d 0x02 → 0x7e and 0x7d 0x01 → 0x7d, and escapes back', () => {
    expect(unescape(hex('30 7d02 08 7d01 55'))).toEqual(hex('30 7e 08 7d 55'));
    expect(escape(hex('30 7e 08 7d 55'))).toEqual(hex('30 7d02 08 7d01 55'));
    // A general reply whose serial is 0x7e7d must travel escaped, and read back whole.
    const frame = encodeMessage(MSG.platformReply, '013912345678', 5, generalReply(0x7e7d, 0x0200, 0));
    expect(frame.subarray(1, -1).includes(0x7e)).toBe(false);
    const { messages } = read(frame);
    expect(messages[0]!.body).toEqual(hex('7e7d 0200 00'));
  });

  it('survives TCP: frames split across chunks, two in one chunk, noise before the first flag', () => {
    const { messages, errors } = read(hex('ffff00'), heartbeat.subarray(0, 5), heartbeat.subarray(5), Buffer.concat([heartbeat, heartbeat]));
    expect(errors).toEqual([]);
    expect(messages).toHaveLength(3);
  });

  it('drops broken frames and keeps reading: bad checksum, bad escape, short, body length lies', () => {
    const badSum = hex('7e 0002 0000 013912345678 0001 34 7e');
    const badEscape = hex('7e 0002 0000 0139123456 7d03 0001 33 7e');
    const short = hex('7e 0002 0000 33 7e');
    // Declares a 2-byte body but carries none (checksum made to match).
    const lying = Buffer.concat([hex('7e'), hex('0002 0002 013912345678 0001'), Buffer.from([0x33 ^ 0x02]), hex('7e')]);
    const { messages, errors } = read(badSum, badEscape, short, lying, heartbeat);
    expect(messages).toHaveLength(1);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/checksum/);
    expect(errors[1]).toMatch(/escape/);
    expect(errors[2]).toMatch(/too short/);
    expect(errors[3]).toMatch(/body length/);
  });

  it('gives up on a frame that never closes', () => {
    const errors: string[] = [];
    const reader = new FrameReader(
      () => {},
      (e) => errors.push(e.message),
      64,
    );
    reader.push(Buffer.concat([hex('7e'), Buffer.alloc(100, 1)]));
    expect(errors[0]).toMatch(/no closing flag/);
  });

  it('reads the 2019 header: version flag, protocol version, 20-digit phone', () => {
    const data = Buffer.concat([hex('0002 4000 01'), hex('00000000013912345678'), hex('0009')]);
    let sum = 0;
    for (const b of data) sum ^= b;
    const m = decodeMessage(Buffer.concat([data, Buffer.from([sum])]));
    expect(m.header).toMatchObject({ version2019: true, protocolVersion: 1, phone: '00000000013912345678', serial: 9 });
  });
});

describe('JT/T 808 messages', () => {
  it('reads a registration (0x0100) with a GBK plate', () => {
    const body = Buffer.concat([
      hex('003e'), // province 62 (Gansu)
      hex('0384'), // city 900 (Jiuquan)
      Buffer.from('HTSH1', 'latin1'),
      Buffer.concat([Buffer.from('NP-T808', 'latin1'), Buffer.alloc(13)]),
      Buffer.from('A123456', 'latin1'),
      hex('02'), // yellow plate
      hex('b8ca 46 31 32 33 34 35'), // 甘F12345 in GBK
    ]);
    expect(parseRegistration(body, false)).toEqual({ province: 62, city: 900, manufacturer: 'HTSH1', model: 'NP-T808', terminalId: 'A123456', plateColor: 2, plate: '甘F12345' });
    expect(() => parseRegistration(body.subarray(0, 20), false)).toThrow(FrameError);
  });

  it('builds the registration reply (0x8100) and the general reply (0x8001)', () => {
    expect(registrationReply(0x0007, 0, 'abc')).toEqual(hex('0007 00 616263'));
    expect(registrationReply(0x0007, 4)).toEqual(hex('0007 04'));
    expect(generalReply(0x0102, 0x0200, 0)).toEqual(hex('0102 0200 00'));
  });

  it('reads a location report (0x0200): alarm and status bits, south-west signs, speed, BCD time in GMT+8, extra items', () => {
    const body = hex(
      '00000001' + // alarm: emergency
        '0000000f' + // status: ACC on, located, south, west
        '0269fb20' + // 40.500000
        '05b5e0f0' + // 95.805680
        '0064' + // altitude 100 m
        '0258' + // 60.0 km/h
        '010e' + // 270°
        '261123120000' + // 2026-11-23 12:00:00 +08:00
        '01 04 00000d80', // mileage 0x0d80 = 3456 (1/10 km)
    );
    const l = parseLocation(body);
    expect(l.alarm).toMatchObject({ emergency: true, overspeed: false });
    expect(l.status).toMatchObject({ accOn: true, located: true, south: true, west: true });
    expect(l.lat).toBeCloseTo(-40.5, 6);
    expect(l.lng).toBeCloseTo(-95.80568, 6);
    expect([l.altitude, l.speed, l.heading]).toEqual([100, 60, 270]);
    expect(l.at).toBe(Date.UTC(2026, 10, 23, 4, 0, 0));
    expect(l.extra.get(0x01)).toEqual(hex('00000d80'));
    expect(() => parseLocation(body.subarray(0, 27))).toThrow(/too short/);
    expect(() => parseLocation(Buffer.concat([body.subarray(0, 22), hex('261399120000')]))).toThrow(/bad BCD time/);
    expect(l.brokenTail).toBeNull();
    // A trailing item whose declared length overruns the body, or a lone byte: the fix and the
    // items before it are kept, the rest set aside.
    const overrun = parseLocation(Buffer.concat([body, hex('02 09 00')]));
    expect([overrun.lat, overrun.lng, overrun.at]).toEqual([l.lat, l.lng, l.at]);
    expect(overrun.extra.get(0x01)).toEqual(hex('00000d80'));
    expect(overrun.brokenTail).toEqual(hex('02 09 00'));
    expect(parseLocation(Buffer.concat([body, hex('30')])).brokenTail).toEqual(hex('30'));
  });

  it('round-trips what the test terminals send, and reads a batch (0x0704)', () => {
    const at = Date.UTC(2026, 10, 23, 4, 0, 0);
    const one = locationBody({ lat: 40.52, lng: 95.78, speed: 45.5, heading: 90, at });
    expect(parseLocation(one)).toMatchObject({ lat: 40.52, lng: 95.78, speed: 45.5, heading: 90, at, status: { located: true, south: false, west: false } });
    const two = locationBody({ lat: 40.53, lng: 95.79, speed: 50, heading: 91, at: at + 1000 });
    const batch = Buffer.concat([hex('0002 01'), hex('001c'), one, hex('001c'), two]);
    const parsed = parseBatchLocation(batch);
    expect(parsed.type).toBe(1);
    expect(parsed.locations.map((l) => l.at)).toEqual([at, at + 1000]);
    expect(() => parseBatchLocation(Buffer.concat([hex('0003 00'), hex('001c'), one]))).toThrow(/item 2 of 3 missing/);
  });
});
