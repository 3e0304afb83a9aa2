// A PMTiles v3 archive writer (spec: github.com/protomaps/PMTiles, spec/v3/spec.md): the
// 127-byte header, a gzip root directory (with leaf directories when it would not fit in the
// first 16 KiB), gzip JSON metadata, then the tiles clustered by tile id, identical tiles
// stored once (and runs of them as one entry). Deterministic: the same tiles give the same bytes.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const TileType = { mvt: 1, png: 2, jpeg: 3, webp: 4 } as const;
export const Compression = { none: 1, gzip: 2 } as const;

export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  /** The tile's bytes as they are stored (already gzipped when tileCompression is gzip). */
  data: Uint8Array;
}

export interface ArchiveOptions {
  tiles: readonly ArchiveTile[];
  tileType: (typeof TileType)[keyof typeof TileType];
  tileCompression: (typeof Compression)[keyof typeof Compression];
  /** [west, south, east, north] in degrees. */
  bounds: readonly [number, number, number, number];
  center: readonly [number, number];
  centerZoom: number;
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

/** The root directory must end within the first 16 KiB of the archive. */
const ROOT_LIMIT = 16_384 - 127;

/** The tile's position on the Hilbert curves of every zoom level from 0 (spec 4.1, TileID). */
export function tileId(z: number, x: number, y: number): number {
  if (!Number.isInteger(z) || z < 0 || z > 26) throw new Error(`zoom ${z} out of range`);
  const n = 2 ** z;
  if (!(x >= 0 && x < n && y >= 0 && y < n)) throw new Error(`tile ${z}/${x}/${y} outside its zoom level`);
  let d = 0;
  let tx = x;
  let ty = y;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Turn the quadrant so that the curve inside it runs the right way.
    if (ry === 0) {
      if (rx === 1) {
        tx = n - 1 - tx;
        ty = n - 1 - ty;
      }
      [tx, ty] = [ty, tx];
    }
  }
  return (4 ** z - 1) / 3 + d;
}

function varint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint ${value} is not a non-negative safe integer`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A directory as the spec encodes it (4.2): count, delta ids, run lengths, lengths, offsets. */
export function encodeDirectory(entries: Entry[]): Uint8Array {
  const out: number[] = [];
  varint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) varint(out, e.runLength);
  for (const e of entries) varint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    varint(out, i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return Uint8Array.from(out);
}

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 });

/** The tiles' entries and data section: clustered by id, duplicates stored once, runs folded. */
function layOut(tiles: readonly ArchiveTile[]): { entries: Entry[]; data: Buffer; contents: number } {
  const sorted = tiles.map((t) => ({ id: tileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.id === sorted[i - 1]!.id) throw new Error(`tile id ${sorted[i]!.id} given twice`);
  const seen = new Map<string, { offset: number; length: number }>();
  const chunks: Uint8Array[] = [];
  const entries: Entry[] = [];
  let size = 0;
  for (const t of sorted) {
    if (t.data.length === 0) throw new Error('an empty tile cannot be stored (leave it out)');
    const key = `${t.data.length}:${createHash('sha256').update(t.data).digest('hex')}`;
    let at = seen.get(key);
    if (!at) {
      at = { offset: size, length: t.data.length };
      seen.set(key, at);
      chunks.push(t.data);
      size += t.data.length;
    }
    const last = entries.at(-1);
    if (last && last.offset === at.offset && last.tileId + last.runLength === t.id) last.runLength++;
    else entries.push({ tileId: t.id, offset: at.offset, length: at.length, runLength: 1 });
  }
  return { entries, data: Buffer.concat(chunks), contents: chunks.length };
}

/** The root directory, and leaf directories when the root alone would not fit in 16 KiB. */
function directories(entries: Entry[]): { root: Uint8Array; leaves: Uint8Array } {
  const root = gzip(encodeDirectory(entries));
  if (root.length <= ROOT_LIMIT) return { root, leaves: new Uint8Array(0) };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const rootEntries: Entry[] = [];
    const leaves: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = gzip(encodeDirectory(entries.slice(i, i + leafSize)));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leaves.push(leaf);
      offset += leaf.length;
    }
    const rootBytes = gzip(encodeDirectory(rootEntries));
    if (rootBytes.length <= ROOT_LIMIT) return { root: rootBytes, leaves: Buffer.concat(leaves) };
  }
}

export function writePmtiles(options: ArchiveOptions): Buffer {
  if (options.tiles.length === 0) throw new Error('an archive needs at least one tile');
  const { entries, data, contents } = layOut(options.tiles);
  const { root, leaves } = directories(entries);
  const metadata = gzip(Buffer.from(JSON.stringify(options.metadata), 'utf8'));
  const zooms = options.tiles.reduce((m, t) => [Math.min(m[0]!, t.z), Math.max(m[1]!, t.z)], [Infinity, -Infinity]);

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'utf8');
  header.writeUInt8(3, 7);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const leavesOffset = metadataOffset + metadata.length;
  const dataOffset = leavesOffset + leaves.length;
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metadataOffset, 24);
  u64(metadata.length, 32);
  u64(leavesOffset, 40);
  u64(leaves.length, 48);
  u64(dataOffset, 56);
  u64(data.length, 64);
  u64(options.tiles.length, 72);
  u64(entries.length, 80);
  u64(contents, 88);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(Compression.gzip, 97); // internal compression
  header.writeUInt8(options.tileCompression, 98);
  header.writeUInt8(options.tileType, 99);
  header.writeUInt8(zooms[0]!, 100);
  header.writeUInt8(zooms[1]!, 101);
  const e7 = (deg: number) => Math.round(deg * 10_000_000);
  const [west, south, east, north] = options.bounds;
  header.writeInt32LE(e7(west), 102);
  header.writeInt32LE(e7(south), 106);
  header.writeInt32LE(e7(east), 110);
  header.writeInt32LE(e7(north), 114);
  header.writeUInt8(options.centerZoom, 118);
  header.writeInt32LE(e7(options.center[0]), 119);
  header.writeInt32LE(e7(options.center[1]), 123);
  return Buffer.concat([header, root, metadata, leaves, data]);
}
