// Reads an uploaded grid file into GeoJSON features, whatever it came as: GeoJSON, a zipped
// Shapefile (shpjs; its .prj reprojected by proj4, its .dbf decoded as its .cpg says, by name
// or by code page number, or as UTF-8 when its text decodes cleanly and GBK otherwise, as
// Chinese GIS software writes it), or
// KML (@tmcw/togeojson over @xmldom/xmldom). The format is told by the bytes, not the name.
import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import { iter } from 'but-unzip';
import { inflateRawSync } from 'node:zlib';
import getShapefile from 'shpjs';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GridFileFormat } from '../../schema/index.ts';
import { decodeText } from '../read-table.ts';

export interface GridFile {
  format: GridFileFormat;
  /** In file order: the report's feature numbers are these indexes + 1. */
  features: Feature<Geometry | null>[];
}

export type ReadResult = { ok: true; file: GridFile } | { ok: false; format: GridFileFormat | null; message: string };

export const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** The first visible character of the text: `{` for JSON, `<` for XML. */
export const firstChar = (text: string) => text.replace(/^[\s\uFEFF]+/, '').charAt(0);

/** Unpacked, a county's grid layer is a few megabytes: a zip that unpacks to more is refused (a zip bomb). */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;

/** A zipped Shapefile of one layer (`what` names it in the messages: 网格, 道路). */
export async function readShapefileZip(bytes: Uint8Array, maxUnzipped: number, what = '网格'): Promise<FeatureCollection> {
  const parts = new Map<string, Map<string, Uint8Array>>();
  // Each entry is inflated within what is left of the allowance; zlib stops at the limit.
  let left = maxUnzipped;
  const inflate = (raw: Uint8Array): Uint8Array => {
    let out: Buffer;
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, left) });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(`压缩包解压后超过 ${Math.round(maxUnzipped / 1024 / 1024)} MB，不像${what}图层 (the zip unpacks to more than the limit)`, { cause: err });
      throw err;
    }
    left -= out.length;
    return out;
  };
  for (const entry of iter(bytes, inflate)) {
    const match = /^(.*)\.(shp|dbf|prj|cpg)$/i.exec(entry.filename);
    if (!match || entry.filename.includes('__MACOSX')) continue;
    const [, base = '', ext = ''] = match;
    const layer = parts.get(base) ?? new Map<string, Uint8Array>();
    layer.set(ext.toLowerCase(), await entry.read());
    parts.set(base, layer);
  }
  const layers = [...parts.entries()].filter(([, p]) => p.has('shp'));
  if (layers.length === 0) throw new Error('压缩包中没有 .shp 文件 (no .shp in the zip)');
  if (layers.length > 1) throw new Error(`压缩包中有 ${layers.length} 个图层（${layers.map(([n]) => `${n}.shp`).join('、')}），请只放${what}图层 (one layer per zip)`);
  const [, p] = layers[0]!;
  if (!p.has('dbf')) throw new Error(`缺少 .dbf 属性表：${what}的属性都在其中 (the .dbf is missing)`);
  const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b).trim() : undefined);
  const cpg = cpgEncoding(text(p.get('cpg')) ?? '') ?? dbfEncoding(p.get('dbf')!);
  return getShapefile({ shp: p.get('shp')!, dbf: p.get('dbf')!, cpg, prj: text(p.get('prj')) });
}

/** Code pages as ArcGIS writes them in a .cpg ("936", "ANSI 936", "CP936"), by their WHATWG names. */
const CODE_PAGES: Record<string, string> = { '936': 'gbk', '54936': 'gb18030', '65001': 'utf-8', '950': 'big5' };

/** The encoding a .cpg names, or null when it names none we know (the bytes then decide). */
function cpgEncoding(cpg: string): string | null {
  const label = cpg.trim();
  if (!label) return null;
  const number = /^(?:ansi\s*|cp|windows-)?(\d+)$/i.exec(label)?.[1];
  for (const name of number ? [CODE_PAGES[number], `windows-${number}`] : [label]) {
    try {
      if (name) return new TextDecoder(name).encoding;
    } catch {
      // not a label this runtime knows
    }
  }
  return null;
}

/**
 * Without a usable .cpg: UTF-8 if the table's text (field names and records) decodes as
 * UTF-8, else GBK (Chinese ArcGIS/QGIS defaults). The header's binary parts are left out: a
 * field 128 bytes or longer has a length byte that is no UTF-8.
 */
function dbfEncoding(dbf: Uint8Array): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const headerLength = dbf.length >= 12 ? dbf[8]! | (dbf[9]! << 8) : dbf.length;
  const parts = [dbf.subarray(headerLength)];
  for (let at = 32; at + 32 <= headerLength - 1; at += 32) parts.push(dbf.subarray(at, at + 11));
  try {
    for (const part of parts) utf8.decode(part);
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

function readKml(text: string): FeatureCollection {
  const errors: string[] = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(text, 'text/xml');
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  if (!doc || errors.length > 0) throw new Error(`KML 格式有误：${errors[0] ?? '无法解析'}`);
  return kml(doc) as FeatureCollection;
}

export function readGeoJson(text: string): FeatureCollection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`GeoJSON 格式有误：${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const fc = parsed as { type?: unknown; features?: unknown };
  if (fc?.type === 'Feature') return { type: 'FeatureCollection', features: [parsed as Feature] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('GeoJSON 须为 FeatureCollection（要素集合）');
  return parsed as FeatureCollection;
}

export async function readGridFile(bytes: Uint8Array, options: { maxUnzippedBytes?: number } = {}): Promise<ReadResult> {
  if (bytes.length === 0) return { ok: false, format: null, message: '文件为空 (empty file)' };
  let format: GridFileFormat | null = null;
  try {
    let fc: FeatureCollection;
    if (isZip(bytes)) {
      format = 'shapefile';
      fc = await readShapefileZip(bytes, options.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES);
    } else {
      const text = decodeText(bytes);
      const first = firstChar(text);
      if (first === '{') {
        format = 'geojson';
        fc = readGeoJson(text);
      } else if (first === '<') {
        format = 'kml';
        fc = readKml(text);
      } else {
        return { ok: false, format: null, message: '无法识别的文件：请上传 GeoJSON、压缩的 Shapefile（.zip）或 KML (unknown format)' };
      }
    }
    return { ok: true, file: { format, features: fc.features as Feature<Geometry | null>[] } };
  } catch (err) {
    return { ok: false, format, message: err instanceof Error ? err.message : '无法读取文件' };
  }
}
