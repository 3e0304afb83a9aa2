// The JT/T 808 messages the gateway speaks: terminal registration (0x0100) and its
// reply (0x8100), authentication (0x0102), heartbeat (0x0002), logout (0x0003),
// location report (0x0200) with its alarm and status bits, batch location upload
// (0x0704), and the platform's general reply (0x8001).
import { FrameError, bcdToString } from './frame.ts';

export const MSG = {
  terminalReply: 0x0001,
  heartbeat: 0x0002,
  logout: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  location: 0x0200,
  batchLocation: 0x0704,
  platformReply: 0x8001,
  registerReply: 0x8100,
} as const;

/** Results of the platform's general reply (0x8001). */
export const REPLY = { ok: 0, failure: 1, malformed: 2, unsupported: 3, alarmConfirmed: 4 } as const;
/** Results of the registration reply (0x8100). */
export const REGISTER = { ok: 0, vehicleTaken: 1, noSuchVehicle: 2, terminalTaken: 3, noSuchTerminal: 4 } as const;

const gbk = new TextDecoder('gbk');
const trimNul = (s: string) => s.replace(/\0+$/g, '').trim();

export interface Registration {
  province: number;
  city: number;
  manufacturer: string;
  model: string;
  terminalId: string;
  plateColor: number;
  plate: string;
}

/** 0x0100 body (2013 layout: manufacturer 5, model 20, terminal id 7 bytes; 2019: 11, 30, 30). */
export function parseRegistration(body: Buffer, version2019: boolean): Registration {
  const [m, t, id] = version2019 ? [11, 30, 30] : [5, 20, 7];
  const fixed = 4 + m + t + id + 1;
  if (body.length < fixed) throw new FrameError(`registration body too short (${body.length} < ${fixed})`);
  let o = 4;
  const take = (n: number) => body.subarray(o, (o += n));
  return {
    province: body.readUInt16BE(0),
    city: body.readUInt16BE(2),
    manufacturer: trimNul(take(m).toString('latin1')),
    model: trimNul(take(t).toString('latin1')),
    terminalId: trimNul(take(id).toString('latin1')),
    plateColor: body[o++]!,
    plate: trimNul(gbk.decode(body.subarray(o))),
  };
}

export function registrationReply(serial: number, result: number, authCode?: string): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(serial & 0xffff, 0);
  head[2] = result;
  return result === REGISTER.ok && authCode ? Buffer.concat([head, Buffer.from(authCode, 'latin1')]) : head;
}

/** 0x0102 body: the auth code (2013); 2019 prefixes its length and appends IMEI and software version. */
export function parseAuthentication(body: Buffer, version2019: boolean): string {
  if (!version2019) return trimNul(body.toString('latin1'));
  const n = body[0] ?? 0;
  return trimNul(body.subarray(1, 1 + n).toString('latin1'));
}

export function generalReply(serial: number, messageId: number, result: number): Buffer {
  const out = Buffer.alloc(5);
  out.writeUInt16BE(serial & 0xffff, 0);
  out.writeUInt16BE(messageId, 2);
  out[4] = result;
  return out;
}

export interface Location {
  alarm: {
    raw: number;
    emergency: boolean;
    overspeed: boolean;
    fatigue: boolean;
    gnssFault: boolean;
  };
  status: {
    raw: number;
    accOn: boolean;
    /** The fix is valid (positioned). */
    located: boolean;
    south: boolean;
    west: boolean;
  };
  /** Degrees, signed by the status bits. */
  lat: number;
  lng: number;
  altitude: number;
  /** km/h. */
  speed: number;
  /** Degrees clockwise from north, 0–359. */
  heading: number;
  /** Milliseconds since the epoch (the terminal's clock is China Standard Time, GMT+8). */
  at: number;
  /** Additional items by id (raw bytes). */
  extra: Map<number, Buffer>;
  /**
   * The additional items from the first one that does not parse (its declared length
   * overruns the body, or a lone byte is left): kept for diagnosis, never a reason to
   * drop the report. Null when every item parsed.
   */
  brokenTail: Buffer | null;
}

/** 0x0200 body (also each item of a 0x0704 batch). */
export function parseLocation(body: Buffer): Location {
  if (body.length < 28) throw new FrameError(`location body too short (${body.length} < 28)`);
  const alarm = body.readUInt32BE(0);
  const status = body.readUInt32BE(4);
  const south = (status & 0x4) !== 0;
  const west = (status & 0x8) !== 0;
  const lat = (body.readUInt32BE(8) / 1e6) * (south ? -1 : 1);
  const lng = (body.readUInt32BE(12) / 1e6) * (west ? -1 : 1);
  // YYMMDDhhmmss in BCD, one byte for each pair of digits.
  const digits = (i: number) => {
    const b = body[22 + i]!;
    return (b >> 4) * 10 + (b & 0x0f) + (b >> 4 > 9 || (b & 0x0f) > 9 ? NaN : 0);
  };
  const [yy, mo, dd, hh, mi, ss] = [digits(0), digits(1), digits(2), digits(3), digits(4), digits(5)];
  if ([yy, mo, dd, hh, mi, ss].some((v) => Number.isNaN(v)) || mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) {
    throw new FrameError(`bad BCD time ${bcdToString(body.subarray(22, 28))}`);
  }
  const at = Date.UTC(2000 + yy, mo - 1, dd, hh - 8, mi, ss);
  // Real devices end with vendor items whose declared length overruns the body or falls
  // short: keep the 28-byte basic block and the items that parse, set the rest aside.
  const extra = new Map<number, Buffer>();
  let brokenTail: Buffer | null = null;
  let o = 28;
  while (o < body.length) {
    const len = body[o + 1];
    if (len === undefined || o + 2 + len > body.length) {
      brokenTail = Buffer.from(body.subarray(o));
      break;
    }
    extra.set(body[o]!, Buffer.from(body.subarray(o + 2, o + 2 + len)));
    o += 2 + len;
  }
  return {
    alarm: { raw: alarm, emergency: (alarm & 0x1) !== 0, overspeed: (alarm & 0x2) !== 0, fatigue: (alarm & 0x4) !== 0, gnssFault: (alarm & 0x10) !== 0 },
    status: { raw: status, accOn: (status & 0x1) !== 0, located: (status & 0x2) !== 0, south, west },
    lat,
    lng,
    altitude: body.readUInt16BE(16),
    speed: body.readUInt16BE(18) / 10,
    heading: body.readUInt16BE(20) % 360,
    at,
    extra,
    brokenTail,
  };
}

/** 0x0704 body: count, type (0 normal, 1 blind-area re-upload), then length-prefixed location bodies. */
export function parseBatchLocation(body: Buffer): { type: number; locations: Location[] } {
  if (body.length < 3) throw new FrameError('batch body too short');
  const count = body.readUInt16BE(0);
  const type = body[2]!;
  const locations: Location[] = [];
  let o = 3;
  for (let i = 0; i < count; i++) {
    if (o + 2 > body.length) throw new FrameError(`batch item ${i + 1} of ${count} missing`);
    const len = body.readUInt16BE(o);
    if (o + 2 + len > body.length) throw new FrameError(`batch item ${i + 1} overruns the body`);
    locations.push(parseLocation(body.subarray(o + 2, o + 2 + len)));
    o += 2 + len;
  }
  return { type, locations };
}

/** Builds a 0x0200 body (for terminals in tests and the benchmark). */
export function locationBody(fix: { lat: number; lng: number; speed: number; heading: number; at: number; alarm?: number; status?: number; altitude?: number }): Buffer {
  const body = Buffer.alloc(28);
  const status = (fix.status ?? 0x3) | (fix.lat < 0 ? 0x4 : 0) | (fix.lng < 0 ? 0x8 : 0);
  body.writeUInt32BE(fix.alarm ?? 0, 0);
  body.writeUInt32BE(status >>> 0, 4);
  body.writeUInt32BE(Math.round(Math.abs(fix.lat) * 1e6), 8);
  body.writeUInt32BE(Math.round(Math.abs(fix.lng) * 1e6), 12);
  body.writeUInt16BE(fix.altitude ?? 0, 16);
  body.writeUInt16BE(Math.round(fix.speed * 10), 18);
  body.writeUInt16BE(Math.round(fix.heading) % 360, 20);
  const d = new Date(fix.at + 8 * 3_600_000);
  const digits = [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  digits.forEach((v, i) => (body[22 + i] = ((Math.floor(v / 10) << 4) | (v % 10)) & 0xff));
  return body;
}
