// The PMTiles v3 writer read back by the pmtiles package (the reader the board's client uses),
// and the sample county's basemap decoded tile by tile with @mapbox/vector-tile.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { PMTiles, TileType as ReaderTileType, zxyToTileId, type RangeResponse, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/county/prng.ts';
import { basemapArchive, basemapLayers, MAX_ZOOM, writeBasemap } from '../../scripts/county/basemap-tiles.ts';
import { Compression, encodeDirectory, tileId, TileType, writePmtiles, type ArchiveTile } from '../../scripts/county/pmtiles-writer.ts';

/** A PMTiles source over bytes in memory (the Node side of FetchSource). */
class BufferSource implements Source {
  constructor(private readonly bytes: Buffer) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.bytes.subarray(offset, offset + length);
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.length) as ArrayBuffer };
  }
}
const reader = (bytes: Buffer) =>
  new PMTiles(new BufferSource(bytes), undefined, async (buf, compression) => {
    if (compression !== 2) return buf;
    const out = gunzipSync(Buffer.from(buf));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer;
  });
const bytesOf = (r: RangeResponse | undefined) => (r ? Buffer.from(r.data) : undefined);

describe('the PMTiles v3 writer', () => {
  it('puts tiles on the Hilbert curve as the spec numbers them', () => {
    expect([tileId(0, 0, 0), tileId(1, 0, 0), tileId(1, 0, 1), tileId(1, 1, 1), tileId(1, 1, 0), tileId(2, 0, 0)]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tileId(12, 3423, 1763)).toBe(19078479);
    for (const [z, x, y] of [
      [7, 100, 47],
      [13, 6300, 3000],
      [20, 876543, 345678],
    ] as const)
      expect(tileId(z, x, y)).toBe(zxyToTileId(z, x, y));
    expect(() => tileId(3, 8, 0)).toThrow(/outside/);
  });

  it('encodes a directory as the spec does: delta ids, run lengths, lengths, offsets (0 when contiguous)', () => {
    // Tiles 5 (two of them alike, a run) and 300 right after them, then a tile stored earlier.
    const dir = encodeDirectory([
      { tileId: 5, offset: 0, length: 10, runLength: 2 },
      { tileId: 300, offset: 10, length: 200, runLength: 1 },
      { tileId: 301, offset: 0, length: 10, runLength: 1 },
    ]);
    expect([...dir]).toEqual([3, 5, (295 & 0x7f) | 0x80, 295 >> 7, 1, 2, 1, 1, 10, (200 & 0x7f) | 0x80, 200 >> 7, 10, 1, 0, 1]);
  });

  it('reads back with the pmtiles package: header, metadata, every tile, runs and duplicates', async () => {
    const tiles: ArchiveTile[] = [];
    const same = Buffer.from('the same bytes');
    for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) tiles.push({ z: 3, x, y, data: (x + y) % 3 === 0 ? same : Buffer.from(`tile 3/${x}/${y}`) });
    tiles.push({ z: 0, x: 0, y: 0, data: Buffer.from('root tile') });
    const archive = writePmtiles({
      tiles,
      tileType: TileType.png,
      tileCompression: Compression.none,
      bounds: [95, 39.5, 97.5, 41.9],
      center: [96.2, 40.6],
      centerZoom: 3,
      metadata: { name: '测试', vector_layers: [] },
    });
    expect(archive.subarray(0, 7).toString()).toBe('PMTiles');
    expect(archive[7]).toBe(3);
    const p = reader(archive);
    const h = await p.getHeader();
    expect(h).toMatchObject({
      specVersion: 3,
      rootDirectoryOffset: 127,
      minZoom: 0,
      maxZoom: 3,
      numAddressedTiles: 65,
      tileType: ReaderTileType.Png,
      tileCompression: 1,
      internalCompression: 2,
      clustered: true,
      centerZoom: 3,
    });
    expect(h.numTileContents).toBe(65 - tiles.filter((t) => t.data === same).length + 1);
    expect([h.minLon, h.minLat, h.maxLon, h.maxLat, h.centerLon, h.centerLat]).toEqual([95, 39.5, 97.5, 41.9, 96.2, 40.6]);
    expect(await p.getMetadata()).toEqual({ name: '测试', vector_layers: [] });
    for (const t of tiles) expect(bytesOf(await p.getZxy(t.z, t.x, t.y))?.equals(Buffer.from(t.data)), `${t.z}/${t.x}/${t.y}`).toBe(true);
    expect(await p.getZxy(2, 1, 1)).toBeUndefined();
    expect(await p.getZxy(3, 9 % 8, 7)).toBeDefined();
  });

  it('moves entries into leaf directories when the root would not fit in the first 16 KiB', async () => {
    const tiles: ArchiveTile[] = [];
    // 30,000 distinct tiles scattered over zoom 12, of random lengths: past what a 16 KiB root holds.
    const random = mulberry32(16);
    const taken = new Set<string>();
    while (tiles.length < 30_000) {
      const [x, y] = [Math.floor(random() * 4096), Math.floor(random() * 4096)];
      if (taken.has(`${x}/${y}`)) continue;
      taken.add(`${x}/${y}`);
      tiles.push({ z: 12, x, y, data: Buffer.from(`${x}/${y}`.padEnd(8 + Math.floor(random() * 600), '.')) });
    }
    const archive = writePmtiles({ tiles, tileType: TileType.mvt, tileCompression: Compression.none, bounds: [-180, -85, 180, 85], center: [0, 0], centerZoom: 0, metadata: {} });
    const p = reader(archive);
    const h = await p.getHeader();
    expect(h.leafDirectoryLength).toBeGreaterThan(0);
    expect(h.rootDirectoryOffset + h.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    for (const t of [tiles[0]!, tiles[12_345]!, tiles.at(-1)!]) expect(bytesOf(await p.getZxy(t.z, t.x, t.y))?.toString()).toBe(Buffer.from(t.data).toString());
    expect(await p.getZxy(11, 1, 0)).toBeUndefined();
  });

  it('is deterministic and refuses what the format cannot hold', () => {
    const opts = {
      tiles: [{ z: 1, x: 1, y: 0, data: Buffer.from('a') }],
      tileType: TileType.mvt,
      tileCompression: Compression.none,
      bounds: [0, 0, 1, 1],
      center: [0.5, 0.5],
      centerZoom: 1,
      metadata: { a: 1 },
    } as const;
    expect(writePmtiles({ ...opts, tiles: [...opts.tiles] }).equals(writePmtiles({ ...opts, tiles: [...opts.tiles] }))).toBe(true);
    expect(() => writePmtiles({ ...opts, tiles: [] })).toThrow(/at least one/);
    expect(() => writePmtiles({ ...opts, tiles: [...opts.tiles, ...opts.tiles] })).toThrow(/twice/);
  });
});

describe("the sample county's basemap.pmtiles", () => {
  let dir: string;
  let archive: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'basemap-'));
    cpSync('data/guazhou', dir, { recursive: true });
    writeBasemap(dir);
    archive = readFileSync(join(dir, 'basemap.pmtiles'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the committed one, small, and covers the county from zoom 0 to its max zoom', async () => {
    expect(archive.equals(readFileSync('data/guazhou/basemap.pmtiles'))).toBe(true);
    expect(archive.length).toBeLessThan(400_000);
    const h = await reader(archive).getHeader();
    expect(h).toMatchObject({ minZoom: 0, maxZoom: MAX_ZOOM, tileType: ReaderTileType.Mvt, tileCompression: 2 });
    expect(h.minLon).toBeGreaterThan(94);
    expect(h.maxLon).toBeLessThan(98);
    const meta = (await reader(archive).getMetadata()) as { vector_layers: { id: string }[] };
    expect(meta.vector_layers.map((l) => l.id)).toEqual(['county', 'boundary', 'transportation', 'transportation_name', 'place']);
  });

  it("decodes into the county's roads by class and its town and village names", async () => {
    const p = reader(archive);
    // The county seat 渊泉镇 at 95.782, 40.52, at zoom 10.
    const z = 10;
    const x = Math.floor(((95.782 + 180) / 360) * 2 ** z);
    const r = (40.52 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
    const bytes = bytesOf(await p.getZxy(z, x, y));
    expect(bytes).toBeDefined();
    // The reader gives the tile as stored, gunzipped by its tile compression.
    const tile = new VectorTile(new PbfReader(bytes!));
    expect(Object.keys(tile.layers).sort()).toEqual(expect.arrayContaining(['county', 'place', 'transportation']));
    const places = Array.from({ length: tile.layers.place!.length }, (_, i) => tile.layers.place!.feature(i).properties);
    expect(places).toContainEqual({ class: 'town', name: '渊泉镇', rank: 1 });
    expect(places.some((pl) => pl.class === 'village' && typeof pl.name === 'string' && /社区|村$/.test(pl.name))).toBe(true);
    const roads = tile.layers.transportation!;
    const classes = new Set(Array.from({ length: roads.length }, (_, i) => roads.feature(i).properties.class));
    expect(classes.has('motorway')).toBe(true); // G30 runs through the seat
    expect(roads.feature(0).loadGeometry()[0]!.length).toBeGreaterThan(1);
  });

  it('has a label for every village of the data', () => {
    const layers = basemapLayers(dir);
    const grids = JSON.parse(readFileSync(join(dir, 'grids.geojson'), 'utf8')) as { features: { properties: { villageCode: string } }[] };
    expect(layers.place!.filter((f) => f.properties?.class === 'village')).toHaveLength(new Set(grids.features.map((g) => g.properties.villageCode)).size);
    const roadTiles = basemapArchive({ transportation: layers.transportation! }, 'roads only');
    expect(roadTiles.length).toBeGreaterThan(10_000);
  });

  it('draws water when the county has a water.geojson: lakes as `water`, rivers as `waterway`', async () => {
    const wet = mkdtempSync(join(tmpdir(), 'basemap-water-'));
    try {
      cpSync(dir, wet, { recursive: true });
      const lake = {
        type: 'Feature',
        properties: { name: '双塔水库' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [96.2, 40.5],
              [96.3, 40.5],
              [96.3, 40.56],
              [96.2, 40.56],
              [96.2, 40.5],
            ],
          ],
        },
      };
      const river = {
        type: 'Feature',
        properties: { name: '疏勒河' },
        geometry: {
          type: 'LineString',
          coordinates: [
            [95.5, 40.45],
            [95.8, 40.55],
            [96.2, 40.53],
          ],
        },
      };
      writeFileSync(join(wet, 'water.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [lake, river] }));
      const layers = basemapLayers(wet);
      expect(layers.water).toHaveLength(1);
      expect(layers.waterway!.map((f) => f.properties)).toEqual([{ class: 'river', name: '疏勒河' }]);
      const p = reader(basemapArchive(layers, 'wet'));
      const z = 12;
      const x = Math.floor(((96.25 + 180) / 360) * 2 ** z);
      const r = (40.53 * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
      const tile = new VectorTile(new PbfReader(bytesOf(await p.getZxy(z, x, y))!));
      expect(tile.layers.water?.feature(0).properties).toEqual({ class: 'lake' });
      expect(tile.layers.water?.feature(0).type).toBe(3);
    } finally {
      rmSync(wet, { recursive: true, force: true });
    }
  });
});
