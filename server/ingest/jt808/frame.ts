// JT/T 808 framing: 0x7e-delimited frames, 0x7e/0x7d escaped inside (0x7e → 0x7d 0x02,
// 0x7d → 0x7d 0x01), an XOR checksum over header and body, and the message header
// (message id, body attributes, terminal phone number in BCD, serial number, and the
// packet counts of a split message). Both the 2013 header (6-byte phone) and the 2019
// header (version flag, protocol version byte, 10-byte phone) are read.

export const FLAG = 0x7e;
const ESCAPE = 0x7d;

export interface Header {
  messageId: number;
  bodyLength: number;
  encrypted: boolean;
  /** The 2019 edition sets a version flag and carries a protocol version byte. */
  version2019: boolean;
  protocolVersion: number;
  /**
   * The terminal's identity: its phone number as 12 BCD digits (2013) or 20 (2019), leading
   * zeros kept; or, for a device that puts something else there (a binary IMEI), `x` and
   * the bytes in hex, an identity of its own kind that no phone number can equal.
   */
  phone: string;
  /** The identity's bytes exactly as the terminal sent them: replies carry these. */
  phoneBytes: Buffer;
  serial: number;
  /** For a message split in packets: how many, and which this is (1-based). */
  packet: { total: number; index: number } | null;
}

export interface Message {
  header: Header;
  body: Buffer;
}

export class FrameError extends Error {}

/** Undoes the escaping of one frame's content (between its flags). */
export function unescape(content: Buffer): Buffer {
  const out = Buffer.allocUnsafe(content.length);
  let n = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    if (b === ESCAPE) {
      // Some faulty devices send a 0x7d checksum unescaped just before the closing flag;
      // tolerant platforms take it as the checksum. Everywhere else escaping stays strict.
      if (i === content.length - 1) {
        out[n++] = ESCAPE;
        break;
      }
      const next = content[++i];
      if (next === 0x02) out[n++] = FLAG;
      else if (next === 0x01) out[n++] = ESCAPE;
      else throw new FrameError(`bad escape 0x7d 0x${(next ?? 0).toString(16).padStart(2, '0')}`);
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

export function escape(raw: Buffer): Buffer {
  return framed(raw, false);
}

/** `raw` escaped, between flags when `flags` holds: one allocation, sized by counting first. */
function framed(raw: Buffer, flags: boolean): Buffer {
  let n = raw.length;
  for (let i = 0; i < raw.length; i++) if (raw[i] === FLAG || raw[i] === ESCAPE) n++;
  const out = Buffer.allocUnsafe(n + (flags ? 2 : 0));
  let o = 0;
  if (flags) out[o++] = FLAG;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === FLAG) {
      out[o++] = ESCAPE;
      out[o++] = 0x02;
    } else if (b === ESCAPE) {
      out[o++] = ESCAPE;
      out[o++] = 0x01;
    } else out[o++] = b;
  }
  if (flags) out[o] = FLAG;
  return out;
}

export function checksum(bytes: Buffer): number {
  let x = 0;
  for (let i = 0; i < bytes.length; i++) x ^= bytes[i]!;
  return x;
}

/** Each byte's two nibbles as text (a BCD byte's two digits). */
const NIBBLES = Array.from({ length: 256 }, (_, b) => (b >> 4).toString(16) + (b & 0x0f).toString(16));

/** BCD digits as text (a nibble over 9 comes out as its hex digit; isBcd tells). */
export function bcdToString(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += NIBBLES[bytes[i]!];
  return out;
}

const isBcd = (bytes: Buffer): boolean => {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >> 4 > 9 || (bytes[i]! & 0x0f) > 9) return false;
  return true;
};

/** A header's terminal identity as text: BCD digits, or `x` + hex when the bytes are not BCD. */
export const identityOf = (bytes: Buffer): string => (isBcd(bytes) ? bcdToString(bytes) : `x${bytes.toString('hex')}`);

/** The bytes of an identity for a header of `length` bytes (the inverse of identityOf). */
export function identityBytes(identity: string, length: number): Buffer {
  if (identity.startsWith('x')) {
    const raw = Buffer.from(identity.slice(1), 'hex');
    if (raw.length !== length || raw.toString('hex') !== identity.slice(1).toLowerCase()) throw new FrameError(`not ${length} bytes of hex: ${identity}`);
    return raw;
  }
  return stringToBcd(identity, length);
}

export function stringToBcd(digits: string, length: number): Buffer {
  const padded = digits.padStart(length * 2, '0');
  if (!/^\d+$/.test(padded) || padded.length !== length * 2) throw new FrameError(`not ${length * 2} BCD digits: ${digits}`);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

/**
 * Parses one frame's unescaped content (header, body, checksum). Some devices set the
 * 2019 version flag but send the 2013 header: when the 2019 reading does not fit the
 * declared body length and the 2013 reading does, the frame is read as 2013 (and
 * `version2019` is false, so the platform answers it in the layout it understood).
 * The message's identity bytes and body are views into `raw`: it must be the frame's own.
 */
export function decodeMessage(raw: Buffer): Message {
  if (raw.length < 13) throw new FrameError(`frame too short (${raw.length} bytes)`);
  const sum = raw[raw.length - 1]!;
  const data = raw.subarray(0, raw.length - 1);
  if (checksum(data) !== sum) throw new FrameError(`checksum mismatch: 0x${checksum(data).toString(16)} ≠ 0x${sum.toString(16)}`);
  const flagged2019 = (data.readUInt16BE(2) & 0x4000) !== 0;
  if (!flagged2019) return readHeader(data, false);
  try {
    return readHeader(data, true);
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    try {
      return readHeader(data, false);
    } catch {
      throw err; // neither layout fits: report the 2019 reading's problem
    }
  }
}

function readHeader(data: Buffer, version2019: boolean): Message {
  const messageId = data.readUInt16BE(0);
  const attributes = data.readUInt16BE(2);
  const bodyLength = attributes & 0x03ff;
  const encrypted = (attributes & 0x1c00) !== 0;
  const split = (attributes & 0x2000) !== 0;
  let offset = 4;
  let protocolVersion = 0;
  if (version2019) protocolVersion = data[offset++]!;
  const phoneLength = version2019 ? 10 : 6;
  if (data.length < offset + phoneLength + 2) throw new FrameError('header truncated');
  // Views, not copies: `raw` is the frame's own unescaped buffer, made for this frame alone.
  const phoneBytes = data.subarray(offset, offset + phoneLength);
  const phone = identityOf(phoneBytes);
  offset += phoneLength;
  const serial = data.readUInt16BE(offset);
  offset += 2;
  let packet: Header['packet'] = null;
  if (split) {
    if (data.length < offset + 4) throw new FrameError('packet info truncated');
    packet = { total: data.readUInt16BE(offset), index: data.readUInt16BE(offset + 2) };
    offset += 4;
  }
  const body = data.subarray(offset);
  if (body.length !== bodyLength) throw new FrameError(`body length ${body.length} ≠ declared ${bodyLength}`);
  return { header: { messageId, bodyLength, encrypted, version2019, protocolVersion, phone, phoneBytes, serial, packet }, body };
}

/**
 * A complete frame, flags included, for a message from the platform to a terminal. The
 * identity is text (digits, or `x` + hex) or the bytes a terminal sent, echoed as they came.
 */
export function encodeMessage(messageId: number, phone: string | Buffer, serial: number, body: Buffer, version2019 = false, protocolVersion = 1): Buffer {
  if (body.length > 0x03ff) throw new FrameError('body longer than 1023 bytes');
  const headLength = version2019 ? 17 : 12;
  // Header, body and checksum in one buffer (every byte of it written below), escaped and flagged into a second.
  const raw = Buffer.allocUnsafe(headLength + body.length + 1);
  raw.writeUInt16BE(messageId, 0);
  raw.writeUInt16BE(body.length | (version2019 ? 0x4000 : 0), 2);
  let offset = 4;
  if (version2019) raw[offset++] = protocolVersion;
  const length = version2019 ? 10 : 6;
  if (Buffer.isBuffer(phone) && phone.length !== length) throw new FrameError(`identity of ${phone.length} bytes in a header of ${length}`);
  const phoneBytes = Buffer.isBuffer(phone) ? phone : identityBytes(phone, length);
  phoneBytes.copy(raw, offset);
  offset += phoneBytes.length;
  raw.writeUInt16BE(serial & 0xffff, offset);
  body.copy(raw, headLength);
  raw[raw.length - 1] = checksum(raw.subarray(0, raw.length - 1));
  return framed(raw, true);
}

/**
 * Splits a TCP stream into frames. Bytes before the first flag are discarded (a
 * terminal joining mid-stream); a frame that fails to parse is reported and skipped,
 * never allowed to stall the connection, and its closing flag may open the next frame
 * (a stray 0x7e in line noise must not swallow the good frame after it). A run without
 * a closing flag longer than `maxFrame` bytes is dropped.
 */
const EMPTY = Buffer.alloc(0);

export class FrameReader {
  private pending: Buffer = EMPTY;

  constructor(
    private readonly onMessage: (message: Message) => void,
    private readonly onError: (error: FrameError) => void,
    private readonly maxFrame = 4096,
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const start = this.pending.indexOf(FLAG);
      if (start < 0) {
        this.pending = EMPTY;
        return;
      }
      const end = this.pending.indexOf(FLAG, start + 1);
      if (end < 0) {
        this.pending = this.pending.subarray(start);
        if (this.pending.length > this.maxFrame) {
          this.onError(new FrameError(`no closing flag within ${this.maxFrame} bytes`));
          this.pending = EMPTY;
        }
        return;
      }
      const content = this.pending.subarray(start + 1, end);
      // Two flags in a row: the previous frame's end and this one's start. Keep the second.
      if (content.length === 0) {
        this.pending = this.pending.subarray(end);
        continue;
      }
      let message: Message;
      try {
        message = decodeMessage(unescape(content));
      } catch (err) {
        // Rejected: what we took for its closing flag may be the next frame's opening one.
        this.pending = this.pending.subarray(end);
        this.onError(err instanceof FrameError ? err : new FrameError(String(err)));
        continue;
      }
      this.pending = this.pending.subarray(end + 1);
      this.onMessage(message);
    }
  }
}
