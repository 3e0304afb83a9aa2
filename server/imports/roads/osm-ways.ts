// OpenStreetMap extracts as ways with their tags and coordinates: OSM XML through saxes
// (a streaming SAX parser, fed in chunks), .osm.pbf through tiny-osmpbf (fed one data
// blob at a time behind the file's header blob, so a large extract yields between blobs
// instead of holding the event loop). Nodes are kept as flat coordinates by id; relations
// are not read (a road network is its ways).
import { SaxesParser } from 'saxes';
import tinyOsmPbf from 'tiny-osmpbf';
import type { RawRoad } from './raw-road.ts';

type Pause = (done: number) => Promise<void>;

/** Node id → [lng, lat], growing flat arrays (an extract has millions of nodes). */
class NodeTable {
  private readonly index = new Map<number, number>();
  private coords = new Float64Array(2 * 65_536);
  private count = 0;

  set(id: number, lng: number, lat: number): void {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return;
    if (2 * this.count + 2 > this.coords.length) {
      const grown = new Float64Array(this.coords.length * 2);
      grown.set(this.coords);
      this.coords = grown;
    }
    this.index.set(id, this.count);
    this.coords[2 * this.count] = lng;
    this.coords[2 * this.count + 1] = lat;
    this.count++;
  }

  /** The way's positions, or null where a node is not in the file. */
  positions(refs: readonly number[]): (number[] | null)[] {
    return refs.map((ref) => {
      const i = this.index.get(ref);
      return i === undefined ? null : [this.coords[2 * i]!, this.coords[2 * i + 1]!];
    });
  }
}

interface OsmWay {
  id: number;
  refs: number[];
  tags: Record<string, string>;
}

const toRoad = (way: OsmWay, feature: number, nodes: NodeTable): RawRoad => {
  const positions = nodes.positions(way.refs);
  const missing = positions.filter((p) => p === null).length;
  // A way cut by a missing node (an extract's edge) keeps its pieces on either side.
  const lines: number[][][] = [[]];
  for (const p of positions) {
    if (p) lines[lines.length - 1]!.push(p);
    else if (lines[lines.length - 1]!.length > 0) lines.push([]);
  }
  return { feature, osmId: way.id, tags: way.tags, lines: lines.filter((l) => l.length > 0), geometry: 'line', missingNodes: missing };
};

/** OSM XML (`<osm>` with `<node>` and `<way>`): every way, in file order. */
export async function readOsmXml(text: string, pause: Pause = async () => {}): Promise<RawRoad[]> {
  const parser = new SaxesParser();
  const nodes = new NodeTable();
  const roads: RawRoad[] = [];
  let way: OsmWay | null = null;
  let sawOsm = false;
  let error: Error | null = null;
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'osm':
        sawOsm = true;
        break;
      case 'node':
        nodes.set(Number(a.id), Number(a.lon), Number(a.lat));
        break;
      case 'way':
        way = { id: Number(a.id), refs: [], tags: {} };
        break;
      case 'nd':
        if (way) way.refs.push(Number(a.ref));
        break;
      case 'tag':
        if (way && a.k !== undefined) way.tags[a.k] = a.v ?? '';
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'way' && way) {
      roads.push(toRoad(way, roads.length + 1, nodes));
      way = null;
    }
  });
  parser.on('error', (err) => {
    error ??= err;
  });
  const CHUNK = 1 << 20;
  for (let at = 0; at < text.length && !error; at += CHUNK) {
    parser.write(text.slice(at, at + CHUNK));
    await pause(Math.min(1, (at + CHUNK) / text.length));
  }
  if (!error) parser.close();
  if (error) throw new Error(`OSM XML 格式有误：${(error as Error).message}`);
  if (!sawOsm) throw new Error('不是 OSM XML 文件：没有 <osm> 根元素');
  return roads;
}

/** The file's blobs: [start, end) of each length-prefixed BlobHeader + Blob (PBF format, fileformat.proto). */
export function pbfBlobs(bytes: Uint8Array): [number, number][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [number, number][] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new Error('PBF 文件不完整（文件在块头处截断）');
    const headerLength = view.getInt32(at, false);
    const headerStart = at + 4;
    const headerEnd = headerStart + headerLength;
    if (headerLength <= 0 || headerLength > 64 * 1024 || headerEnd > bytes.length) throw new Error('PBF 块头长度有误：不像 .osm.pbf 文件');
    // BlobHeader: 1 type (string), 2 indexdata (bytes), 3 datasize (int32): only datasize is needed.
    let p = headerStart;
    let datasize = -1;
    const varint = () => {
      let value = 0;
      for (let shift = 0; shift < 35; shift += 7) {
        const b = bytes[p++]!;
        value += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return value;
      }
      throw new Error('PBF 块头有误');
    };
    while (p < headerEnd) {
      const key = varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 0) {
        const v = varint();
        if (field === 3) datasize = v;
      } else if (wire === 2) {
        // Read first: `p += varint()` would add to the position before the length's own bytes.
        const length = varint();
        p += length;
      } else throw new Error('PBF 块头有误');
    }
    const end = headerEnd + datasize;
    if (datasize < 0 || end > bytes.length) throw new Error('PBF 文件不完整（数据块被截断）');
    out.push([at, end]);
    at = end;
  }
  return out;
}

interface PbfElement {
  type: 'node' | 'way' | 'relation';
  id: number;
  lat?: number;
  lon?: number;
  nodes?: number[];
  tags?: Record<string, string>;
}

/** An .osm.pbf extract: every way, in file order. */
export async function readOsmPbf(bytes: Uint8Array, pause: Pause = async () => {}): Promise<RawRoad[]> {
  const blobs = pbfBlobs(bytes);
  if (blobs.length === 0) throw new Error('PBF 文件为空');
  const [headerStart, headerEnd] = blobs[0]!;
  const nodes = new NodeTable();
  const roads: RawRoad[] = [];
  const handle = (e: PbfElement) => {
    if (e.type === 'node') nodes.set(e.id, e.lon!, e.lat!);
    else if (e.type === 'way') roads.push(toRoad({ id: e.id, refs: e.nodes ?? [], tags: e.tags ?? {} }, roads.length + 1, nodes));
  };
  const run = (parts: [number, number][]) => {
    const size = parts.reduce((s, [a, b]) => s + b - a, 0);
    // A fresh ArrayBuffer: tiny-osmpbf reads lengths through a DataView of its whole buffer.
    const chunk = new Uint8Array(size);
    let o = 0;
    for (const [a, b] of parts) {
      chunk.set(bytes.subarray(a, b), o);
      o += b - a;
    }
    try {
      tinyOsmPbf(chunk.buffer, handle as (e: unknown) => void);
    } catch (err) {
      throw new Error(`PBF 文件无法解析：${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
  if (blobs.length === 1) run([blobs[0]!]);
  for (let i = 1; i < blobs.length; i++) {
    run([[headerStart, headerEnd], blobs[i]!]);
    await pause(i / (blobs.length - 1));
  }
  return roads;
}
