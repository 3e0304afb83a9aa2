// Reading and validating grid imports, without a server: the same four grids from GeoJSON,
// KML and a zipped Shapefile (written here with @mapbox/shp-write), Chinese attributes of a
// Shapefile in GBK or UTF-8 (its .dbf written by hand), GCJ-02 back to WGS-84,
// each kind of problem with its feature number, what blocks a commit, the live changes a
// new set brings, and the county's 689 grids checked.
import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import shpwrite from '@mapbox/shp-write';
import { iter } from 'but-unzip';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { readGridFile, type GridFile } from '../../server/imports/grids/read-grid-file.ts';
import { commitBlock, validateGrids } from '../../server/imports/grids/validate-grids.ts';
import { matchGridFields } from '../../server/imports/grids/grid-fields.ts';
import { gridSetChanges } from '../../server/imports/grids/live-changes.ts';
import { buildGridLayer } from '../../server/county/grid-layer.ts';
import { emptyCollections, type GridCollection, type ImportCrs } from '../../server/schema/index.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';
import { dbf, gbk, storedZip, utf8 } from '../helpers/shapefile-parts.ts';

const fixture = (name: string) => readFileSync(`test/fixtures/grids/${name}`);
const outline = (JSON.parse(fixture('outline.geojson').toString()) as FeatureCollection<Polygon>).features[0]!;
const gazetteer = { towns: [{ code: '620922100', name: '渊泉镇' }], villages: [{ code: '620922100001', name: '疏勒社区居委会', townName: '渊泉镇' }] };
const four = () => JSON.parse(fixture('four.geojson').toString()) as FeatureCollection<Polygon, Record<string, unknown>>;

async function read(bytes: Uint8Array): Promise<GridFile> {
  const result = await readGridFile(bytes);
  if (!result.ok) throw new Error(result.message);
  return result.file;
}
const validate = (file: GridFile, crs: ImportCrs = 'wgs84', currentIds: string[] = ['T-01', 'T-02', 'T-03', 'OLD']) => validateGrids({ file, crs, outline, gazetteer, currentIds });
const geojson = (fc: FeatureCollection) => new TextEncoder().encode(JSON.stringify(fc));

describe('reading grid files', () => {
  it('reads the same four grids from GeoJSON, KML and a zipped Shapefile', async () => {
    const fromJson = await validate(await read(fixture('four.geojson')));
    const fromKml = await validate(await read(fixture('four.kml')));
    for (const report of [fromJson, fromKml]) {
      expect(report.fileErrors).toEqual([]);
      expect(report.errors).toEqual([]);
      expect(report.grids.features.map((f) => [f.properties.id, f.properties.name, f.properties.townName, f.properties.townCode, f.properties.villageCode])).toEqual([
        ['T-01', '东南网格', '渊泉镇', '620922100', '620922100001'],
        ['T-02', '西南网格', '渊泉镇', '620922100', '620922100001'],
        ['T-03', '西北网格', '渊泉镇', '620922100', '620922100001'],
        ['T-04', '东北网格', '渊泉镇', '620922100', '620922100001'],
      ]);
      expect(report.gaps.totalM2).toBeLessThan(1);
      expect(report.overlaps).toEqual([]);
      expect(report.summary).toMatchObject({ features: 4, good: 4, withErrors: 0, added: 1, removed: 1, kept: 3, population: 2950 });
      expect(report.addedIds).toEqual(['T-04']);
      expect(report.removedIds).toEqual(['OLD']);
      expect(commitBlock(report, false)).toBeNull();
    }
    expect(fromJson.grids.features[0]!.geometry).toEqual(four().features[0]!.geometry);
    expect(fromKml.fields.find((f) => f.name === 'name')?.field).toBe('name');
    expect(fromJson.grids.features[0]!.properties.lead).toBe('张三');
  });

  it('reads a zipped Shapefile with its .dbf attributes and .prj', async () => {
    // A shapefile's .dbf names are at most 10 ASCII characters; the writer (@mapbox/shp-write)
    // writes single-byte text only, so the values here are pinyin.
    const pinyin = four();
    pinyin.features.forEach((f, i) => {
      const p = f.properties;
      f.properties = { ID: p['网格编号'], NAME: `Grid ${i + 1}`, VILLAGE: 'Shule', TOWN: 'Yuanquan', POP: p['人口'], LEAD: 'Zhang' };
    });
    const zip = (await shpwrite.zip(pinyin, { outputType: 'uint8array', compression: 'DEFLATE', types: { polygon: 'grids' } })) as Uint8Array;
    const file = await read(zip);
    expect(file.format).toBe('shapefile');
    const report = await validateGrids({ file, crs: 'wgs84', outline, gazetteer: { towns: [{ code: '620922100', name: 'Yuanquan' }], villages: [] }, currentIds: [] });
    expect(report.fileErrors).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.grids.features.map((f) => f.properties)).toEqual(
      pinyin.features.map((f, i) => ({
        id: f.properties.ID,
        name: `Grid ${i + 1}`,
        villageCode: '',
        villageName: 'Shule',
        townCode: '620922100',
        townName: 'Yuanquan',
        population: f.properties.POP,
        lead: 'Zhang',
      })),
    );
    expect(report.grids.features[2]!.geometry).toEqual(four().features[2]!.geometry);
  });

  it('reads Chinese attribute names and values in GBK or UTF-8, as the .cpg says or as the bytes show', async () => {
    // The outlines from @mapbox/shp-write; the attribute table as Chinese GIS software writes it.
    const written = (await shpwrite.zip(four(), { outputType: 'uint8array', compression: 'STORE', types: { polygon: 'grids' } })) as Uint8Array;
    const parts: Record<string, Uint8Array> = {};
    for (const entry of iter(written)) parts[entry.filename.replace(/^.*\//, '')] = await entry.read();
    // Text fields longer than 127 bytes (a byte ≥ 0x80 in the header, as ArcGIS's 254 gives).
    const fields = [
      { name: '编号', type: 'C', length: 16 },
      { name: '名称', type: 'C', length: 200 },
      { name: '村', type: 'C', length: 254 },
      { name: '乡镇', type: 'C', length: 40 },
      { name: '人口', type: 'N', length: 10 },
      { name: '网格长', type: 'C', length: 20 },
    ] as const;
    const rows = four().features.map(({ properties: p }) => [p['网格编号'], p['网格名称'], p['村（社区）'], p['乡镇'], p['人口'], p['网格长']] as (string | number)[]);
    const expected = four().features.map((f) => [f.properties['网格编号'], f.properties['网格名称'], '疏勒社区居委会', '渊泉镇', '620922100', f.properties['人口']]);
    const cases: [string, (t: string) => Uint8Array, string | null][] = [
      ['GBK with a .cpg', gbk, 'GBK'],
      ['UTF-8 with a .cpg', utf8, 'UTF-8'],
      ['GBK without a .cpg', gbk, null],
      ['UTF-8 without a .cpg', utf8, null],
      ['GBK with ArcGIS’s code page number', gbk, '936'],
      ['GBK with a .cpg of ANSI 936', gbk, 'ANSI 936\r\n'],
      ['UTF-8 with a .cpg of 65001', utf8, '65001'],
    ];
    for (const [label, encode, cpg] of cases) {
      const zip = storedZip({
        'grids.shp': parts['grids.shp']!,
        'grids.shx': parts['grids.shx']!,
        'grids.prj': parts['grids.prj']!,
        'grids.dbf': dbf([...fields], rows, encode),
        ...(cpg === null ? {} : { 'grids.cpg': utf8(cpg) }),
      });
      const file = await read(zip);
      expect(file.format, label).toBe('shapefile');
      expect(Object.keys(file.features[0]!.properties ?? {}), label).toEqual(fields.map((f) => f.name));
      const report = await validate(file);
      expect(report.fileErrors, label).toEqual([]);
      expect(report.errors, label).toEqual([]);
      expect(
        report.grids.features.map((f) => [f.properties.id, f.properties.name, f.properties.villageName, f.properties.townName, f.properties.townCode, f.properties.population]),
        label,
      ).toEqual(expected);
      expect(report.grids.features[0]!.properties.lead, label).toBe('张三');
    }
    // Deflated, as zip tools write them, it reads the same; one that unpacks past the
    // allowance (a zip bomb, here a tiny allowance) is refused, saying why.
    const deflated = storedZip(
      { 'grids.shp': parts['grids.shp']!, 'grids.shx': parts['grids.shx']!, 'grids.prj': parts['grids.prj']!, 'grids.dbf': dbf([...fields], rows, gbk), 'grids.cpg': utf8('GBK') },
      true,
    );
    expect((await read(deflated)).features).toHaveLength(4);
    expect(await readGridFile(deflated, { maxUnzippedBytes: 1000 })).toMatchObject({ ok: false, message: expect.stringContaining('压缩包解压后超过') });
  });

  it('tells the format by the bytes and says what it cannot read', async () => {
    expect(await readGridFile(new TextEncoder().encode('编号,名称\n1,2'))).toMatchObject({ ok: false, format: null });
    expect(await readGridFile(new TextEncoder().encode('{"type":"FeatureCollection"'))).toMatchObject({
      ok: false,
      format: 'geojson',
      message: expect.stringContaining('GeoJSON 格式有误'),
    });
    expect(await readGridFile(new TextEncoder().encode('<kml><Document><Placemark></Document></kml>'))).toMatchObject({
      ok: false,
      format: 'kml',
      message: expect.stringContaining('KML'),
    });
    expect(await readGridFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toMatchObject({ ok: false, format: 'shapefile' });
    // Two layers in one zip: which one holds the grids is not guessed.
    const mixed = four() as FeatureCollection;
    mixed.features.push({ type: 'Feature', properties: { ID: 'P' }, geometry: { type: 'Point', coordinates: [95.75, 40.55] } });
    const zip = (await shpwrite.zip(mixed, { outputType: 'uint8array', compression: 'DEFLATE' })) as Uint8Array;
    expect(await readGridFile(zip)).toMatchObject({ ok: false, message: expect.stringContaining('2 个图层') });
  });

  it('matches Chinese and English attribute names', () => {
    const m = matchGridFields(['网格编号', 'Grid_Name', '所属社区', '乡镇（街道）', '常住人口', 'remark']);
    expect(Object.fromEntries(m)).toEqual({ id: '网格编号', name: 'Grid_Name', villageName: '所属社区', townName: '乡镇（街道）', population: '常住人口' });
  });

  it('converts GCJ-02 and BD-09 to WGS-84', async () => {
    for (const [crs, system] of [
      ['gcj02', gcoord.GCJ02],
      ['bd09', gcoord.BD09],
    ] as const) {
      const shifted = four();
      for (const f of shifted.features) f.geometry.coordinates = f.geometry.coordinates.map((r) => r.map((p) => gcoord.transform(p as [number, number], gcoord.WGS84, system)));
      const report = await validate(await read(geojson(shifted)), crs);
      expect(report.errors).toEqual([]);
      const back = report.grids.features[0]!.geometry.coordinates[0]![2]!;
      expect(back[0]).toBeCloseTo(95.8, 5);
      expect(back[1]).toBeCloseTo(40.55, 5);
    }
  });
});

describe('the validation report', () => {
  it('names each problem with its feature number', async () => {
    const fc = four();
    const [se, sw, nw, ne] = fc.features as Feature<Polygon | MultiPolygon | null, Record<string, unknown>>[];
    // 1: a bow tie (self-intersecting); 2: the id of 3; 3: no name; 4: an unknown town and a bad population.
    se!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [95.75, 40.5],
          [95.8, 40.55],
          [95.8, 40.5],
          [95.75, 40.55],
          [95.75, 40.5],
        ],
      ],
    };
    sw!.properties!['网格编号'] = 'T-03';
    nw!.properties!['网格名称'] = '';
    ne!.properties!['乡镇'] = '火星镇';
    ne!.properties!['人口'] = '很多';
    // 5: a point; 6: a ring that is not closed; 7: wholly outside the county.
    fc.features.push(
      {
        type: 'Feature',
        properties: { 网格编号: 'T-05', 网格名称: '点', '村（社区）': '疏勒社区居委会', 乡镇: '渊泉镇' },
        geometry: { type: 'Point', coordinates: [95.75, 40.55] } as unknown as Polygon,
      },
      {
        type: 'Feature',
        properties: { 网格编号: 'T-06', 网格名称: '未闭合', '村（社区）': '疏勒社区居委会', 乡镇: '渊泉镇' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [95.7, 40.5],
              [95.71, 40.5],
              [95.71, 40.51],
              [95.7, 40.51],
            ],
          ],
        },
      },
      {
        type: 'Feature',
        properties: { 网格编号: 'T-07', 网格名称: '县外', '村（社区）': '疏勒社区居委会', 乡镇: '渊泉镇' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [96, 41],
              [96.01, 41],
              [96.01, 41.01],
              [96, 41.01],
              [96, 41],
            ],
          ],
        },
      },
    );
    const report = await validate(await read(geojson(fc as FeatureCollection)));
    const problems = report.errors.map((e) => [e.feature, e.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [1, 'self-intersection'],
        [2, 'duplicate-id'],
        [3, 'duplicate-id'],
        [3, 'missing-field'],
        [4, 'unknown-town'],
        [4, 'bad-field'],
        [5, 'bad-geometry'],
        [6, 'bad-geometry'],
        [7, 'outside-county'],
      ]),
    );
    expect(report.errors.find((e) => e.feature === 1)!.message).toMatch(/自相交/);
    expect(report.errors.find((e) => e.feature === 3 && e.code === 'missing-field')!.message).toBe('缺少必填项「网格名称」');
    expect(report.errors.find((e) => e.feature === 6)!.message).toMatch(/未闭合/);
    // The bow tie's quarter is not covered: a gap large enough to stop the commit.
    expect(report.gaps.largest[0]!.areaM2).toBeGreaterThan(10_000_000);
    expect(report.gaps.largest[0]!.blocking).toBe(true);
    expect(report.fileErrors.some((e) => e.includes('缝隙'))).toBe(true);
    expect(report.summary).toMatchObject({ features: 7, withErrors: 7, good: 0 });
    expect(commitBlock(report, true)).toMatch(/错误/);
  });

  it('measures overlaps and gaps: large ones block, small ones are warnings to confirm', async () => {
    const big = four();
    // Grid 1 reaches 0.001° (about 85 m) into grid 2 along their 5.5 km edge: some 47 ha.
    big.features[0]!.geometry.coordinates[0] = [
      [95.749, 40.5],
      [95.8, 40.5],
      [95.8, 40.55],
      [95.749, 40.55],
      [95.749, 40.5],
    ];
    const blocked = await validate(await read(geojson(big)));
    expect(blocked.overlaps).toHaveLength(1);
    expect(blocked.overlaps[0]).toMatchObject({ a: 1, b: 2, aId: 'T-01', bId: 'T-02', blocking: true });
    expect(blocked.overlaps[0]!.areaM2).toBeGreaterThan(400_000);
    expect(blocked.overlaps[0]!.areaM2).toBeLessThan(500_000);
    expect(blocked.errors.map((e) => [e.feature, e.code])).toEqual([
      [1, 'overlap'],
      [2, 'overlap'],
    ]);
    expect(commitBlock(blocked, true)).not.toBeNull();

    const small = four();
    // A sliver of 1e-6° (about 5 cm by 5.5 km, some 470 m²) leaves a gap of the same size.
    small.features[0]!.geometry.coordinates[0] = [
      [95.750001, 40.5],
      [95.8, 40.5],
      [95.8, 40.55],
      [95.750001, 40.55],
      [95.750001, 40.5],
    ];
    const warned = await validate(await read(geojson(small)));
    expect(warned.errors).toEqual([]);
    expect(warned.gaps.pieces).toBe(1);
    expect(warned.gaps.largest[0]!.areaM2).toBeGreaterThan(400);
    expect(warned.gaps.largest[0]!.blocking).toBe(false);
    expect(commitBlock(warned, false)).toBeNull(); // under the warning threshold (2,000 m²)

    const overlapWarn = four();
    overlapWarn.features[0]!.geometry.coordinates[0] = [
      [95.7499999, 40.5],
      [95.8, 40.5],
      [95.8, 40.55],
      [95.7499999, 40.55],
      [95.7499999, 40.5],
    ];
    const confirm = await validate(await read(geojson(overlapWarn)));
    expect(confirm.errors).toEqual([]);
    expect(confirm.warnings.map((w) => [w.feature, w.code])).toEqual([
      [1, 'overlap'],
      [2, 'overlap'],
    ]);
    expect(confirm.overlaps[0]!.blocking).toBe(false);
    expect(commitBlock(confirm, false)).toMatch(/警告/);
    expect(commitBlock(confirm, true)).toBeNull();
  });

  it('needs the id, name, village and town attributes, said once for the file', async () => {
    const fc = four();
    for (const f of fc.features) delete f.properties['乡镇'];
    const report = await validate(await read(geojson(fc)));
    expect(report.fileErrors).toEqual([expect.stringContaining('缺少必填属性「乡镇」')]);
    expect(report.errors).toEqual([]);
    expect(commitBlock(report, true)).toMatch(/文件有错误/);
  });

  // How long it takes is measured by `npm run bench` (scripts/bench-grid-import.ts), not here.
  it('checks the county’s 689 grids: all good, slivers only, with progress along the way', async () => {
    const county = JSON.parse(readFileSync('data/guazhou/county.geojson', 'utf8')) as FeatureCollection<Polygon>;
    const towns = JSON.parse(readFileSync('data/guazhou/towns.json', 'utf8')) as { code: string; name: string }[];
    const file = await read(readFileSync('data/guazhou/grids.geojson'));
    const steps: number[] = [];
    const report = await validateGrids({
      file,
      crs: 'wgs84',
      outline: county.features[0]!,
      gazetteer: { towns, villages: [] },
      currentIds: [],
      pause: async (d) => void steps.push(d),
    });
    expect(report.errors).toEqual([]);
    expect(report.summary).toMatchObject({ features: 689, good: 689, population: 120_000 });
    // The sample tiles the real outline but for rounding slivers.
    expect(report.gaps.totalM2).toBeLessThan(2_000);
    expect(commitBlock(report, false)).toBeNull();
    expect(steps.at(-1)).toBe(1);
    expect(steps.length).toBeGreaterThan(10);
  }, 60_000);
});

describe('the live changes of a new grid set', () => {
  it('adds statuses for new grids, removes those of grids gone, and stamps entities anew', () => {
    const fc = four();
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: fc.features.map((f) => ({
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          id: String(f.properties['网格编号']),
          name: String(f.properties['网格名称']),
          villageCode: '',
          villageName: 'v',
          townCode: '',
          townName: '渊泉镇',
          population: 1,
          lead: '',
        },
      })),
    };
    const layer = buildGridLayer(grids);
    const collections = emptyCollections();
    collections.gridStatus = { 'T-01': { id: 'T-01', risk: 'high', updatedAt: 1 }, OLD: { id: 'OLD', risk: 'low', updatedAt: 1 } };
    collections.samplingPoints = { P1: samplingPoint('P1', { location: [95.72, 40.52], gridId: 'OLD' }), P2: samplingPoint('P2', { location: [95.78, 40.52], gridId: 'T-01' }) };
    collections.ambulances = { A1: ambulance('A1', 95.78, 40.58, { gridId: null }), A2: ambulance('A2', 0, 0, { fix: null, gridId: 'OLD' }) };
    const { keys, update, counts } = gridSetChanges(collections, layer.props, (lng, lat) => layer.locator.locate(lng, lat), 5);
    expect(counts).toEqual({ added: 3, removed: 1, restamped: 2 });
    const changes = update(keys.map((k) => (collections[k.collection] as Record<string, never>)[k.id]));
    const byKey = Object.fromEntries(changes.map((c) => [`${c.collection}/${c.op === 'upsert' ? c.entity.id : c.id}`, c]));
    expect(Object.keys(byKey).sort()).toEqual(['ambulances/A1', 'gridStatus/OLD', 'gridStatus/T-02', 'gridStatus/T-03', 'gridStatus/T-04', 'samplingPoints/P1'].sort());
    expect(byKey['gridStatus/T-02']).toEqual({ op: 'upsert', collection: 'gridStatus', entity: { id: 'T-02', risk: 'low', updatedAt: 5 } });
    expect(byKey['gridStatus/OLD']).toEqual({ op: 'remove', collection: 'gridStatus', id: 'OLD' });
    expect(byKey['samplingPoints/P1']).toMatchObject({ entity: { id: 'P1', gridId: 'T-02' } });
    expect(byKey['ambulances/A1']).toMatchObject({ entity: { id: 'A1', gridId: 'T-04' } });
    // Computed again at commit time: a status set meanwhile is not overwritten.
    const again = update(
      keys.map((k) =>
        k.collection === 'gridStatus' && k.id === 'T-02' ? { id: 'T-02', risk: 'sealed', updatedAt: 4 } : (collections[k.collection] as Record<string, never>)[k.id],
      ),
    );
    expect(again.some((c) => c.op === 'upsert' && c.entity.id === 'T-02')).toBe(false);
  });
});
