// A Shapefile's attribute table written by hand, as Chinese GIS software writes it (dBASE III:
// a header, 32-byte field descriptors, fixed-width records, text in the file's code page),
// a GBK encoder (Node decodes GBK but cannot encode it), and a zip of stored entries to
// put the parts together. @mapbox/shp-write, which writes the geometry, writes one-byte text only.
import { crc32, deflateRawSync } from 'node:zlib';

export interface DbfField {
  name: string;
  type: 'C' | 'N';
  length: number;
}

/** A .dbf with these fields and rows, every name and text value encoded by `encode`. */
export function dbf(fields: DbfField[], rows: (string | number)[][], encode: (text: string) => Uint8Array): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(out.buffer);
  out.set([0x03, 126, 1, 1]); // dBASE III, 2026-01-01
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    const name = encode(f.name);
    if (name.length > 10) throw new Error(`field name ${f.name} is over 10 bytes`);
    out.set(name, at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = f.length;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let at = headerLength + recordLength * r;
    out[at++] = 0x20; // not deleted
    fields.forEach((f, i) => {
      const bytes = encode(String(row[i] ?? ''));
      if (bytes.length > f.length) throw new Error(`${String(row[i])} is over ${f.length} bytes`);
      out.fill(0x20, at, at + f.length);
      // Text is left-aligned, numbers right-aligned, both padded with spaces.
      out.set(bytes, f.type === 'N' ? at + f.length - bytes.length : at);
      at += f.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

let gbkBytes: Map<string, [number, number]> | undefined;
/** Text → GBK bytes (ASCII as is, each Chinese character as its two bytes). */
export function gbk(text: string): Uint8Array {
  if (!gbkBytes) {
    gbkBytes = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\uFFFD' && !gbkBytes.has(char)) gbkBytes.set(char, [lead, trail]);
      }
  }
  return Uint8Array.from(
    [...text].flatMap((c) => {
      if (c.charCodeAt(0) < 0x80) return [c.charCodeAt(0)];
      const bytes = gbkBytes!.get(c);
      if (!bytes) throw new Error(`${c} has no GBK code`);
      return bytes;
    }),
  );
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A zip of uncompressed (stored) entries; `deflate` compresses them (method 8) instead. */
export function storedZip(files: Record<string, Uint8Array>, deflate = false): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, raw] of Object.entries(files)) {
    const fileName = utf8(name);
    const crc = crc32(raw);
    const data = deflate ? deflateRawSync(raw) : raw;
    const method = deflate ? 8 : 0;
    const local = new Uint8Array(30 + fileName.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, method, true);
    l.setUint16(12, 0x21, true); // 1980-01-01
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, raw.length, true);
    l.setUint16(26, fileName.length, true);
    local.set(fileName, 30);
    const central = new Uint8Array(46 + fileName.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, method, true);
    c.setUint16(14, 0x21, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, raw.length, true);
    c.setUint16(28, fileName.length, true);
    c.setUint32(42, offset, true);
    central.set(fileName, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const centralSize = centrals.reduce((s, b) => s + b.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, centrals.length, true);
  e.setUint16(10, centrals.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  return Buffer.concat([...locals, ...centrals, end]);
}
