// Reads an uploaded road file into raw roads, whatever it came as: an OpenStreetMap extract
// (.osm.pbf or .osm XML), GeoJSON (LineString / MultiLineString features), or a zipped
// Shapefile (the grid import's reader: .prj reprojected, .dbf decoded by its .cpg or bytes).
// The format is told by the bytes, not the name.
import type { Feature, Geometry } from 'geojson';
import type { RoadFileFormat } from '../../schema/index.ts';
import { decodeText } from '../read-table.ts';
import { firstChar, isZip, MAX_UNZIPPED_BYTES, readGeoJson, readShapefileZip } from '../grids/read-grid-file.ts';
import { readOsmPbf, readOsmXml } from './osm-ways.ts';
import type { RawRoad } from './raw-road.ts';

export type RoadReadResult = { ok: true; format: RoadFileFormat; roads: RawRoad[] } | { ok: false; format: RoadFileFormat | null; message: string };

/** A PBF file opens with the length of its first BlobHeader, whose type is "OSMHeader". */
const isOsmPbf = (b: Uint8Array) => b.length > 16 && b[0] === 0 && b[1] === 0 && Buffer.from(b.subarray(4, 20)).toString('latin1').includes('OSMHeader');

const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** GeoJSON or Shapefile features as raw roads: properties as text, lines as they are. */
export function featuresToRoads(features: Feature<Geometry | null>[]): RawRoad[] {
  return features.map((f, i) => {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const t = text(v);
      if (t !== undefined) tags[k] = t;
    }
    const g = f.geometry;
    const base = { feature: i + 1, tags };
    if (!g) return { ...base, lines: [], geometry: 'none' };
    if (g.type === 'LineString') return { ...base, lines: [g.coordinates as number[][]], geometry: 'line' };
    if (g.type === 'MultiLineString') return { ...base, lines: g.coordinates as number[][][], geometry: 'line' };
    return { ...base, lines: [], geometry: 'other' };
  });
}

export async function readRoadFile(bytes: Uint8Array, options: { maxUnzippedBytes?: number; pause?: (done: number) => Promise<void> } = {}): Promise<RoadReadResult> {
  if (bytes.length === 0) return { ok: false, format: null, message: '文件为空 (empty file)' };
  let format: RoadFileFormat | null = null;
  try {
    if (isOsmPbf(bytes)) {
      format = 'osm-pbf';
      return { ok: true, format, roads: await readOsmPbf(bytes, options.pause) };
    }
    if (isZip(bytes)) {
      format = 'shapefile';
      const fc = await readShapefileZip(bytes, options.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES, '道路');
      return { ok: true, format, roads: featuresToRoads(fc.features as Feature<Geometry | null>[]) };
    }
    const decoded = decodeText(bytes);
    const first = firstChar(decoded);
    if (first === '{') {
      format = 'geojson';
      return { ok: true, format, roads: featuresToRoads(readGeoJson(decoded).features as Feature<Geometry | null>[]) };
    }
    if (first === '<') {
      format = 'osm-xml';
      return { ok: true, format, roads: await readOsmXml(decoded, options.pause) };
    }
    return { ok: false, format: null, message: '无法识别的文件：请上传 OpenStreetMap 数据（.osm.pbf 或 .osm）、GeoJSON 或压缩的 Shapefile（.zip）(unknown format)' };
  } catch (err) {
    return { ok: false, format, message: err instanceof Error ? err.message : '无法读取文件' };
  }
}
