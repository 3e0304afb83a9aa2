// Reading and checking town and village files (乡镇村) without a server, on the sample county's
// grids: the fixture CSV (Chinese headings, villages without centres) and an XLSX built here
// (English headings, GCJ-02 centres), each rejected row with its reason and row number, centres
// given or computed from the grids (always inside the place's own grids), flagged centres,
// the places with grids and no record, and the size bound.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCounty, type County } from '../../server/county/county.ts';
import { buildGridLayer, type GridLayer } from '../../server/county/grid-layer.ts';
import { fileTownLayer, relabelGrids, buildTownLayer } from '../../server/county/town-layer.ts';
import { buildGazetteer } from '../../server/county/gazetteer.ts';
import { distanceMeters } from '../../server/geo/distance.ts';
import { readTable } from '../../server/imports/read-table.ts';
import { centreFromGrids } from '../../server/imports/towns/centres.ts';
import { MAX_TOWN_ROWS, validateTowns } from '../../server/imports/towns/validate-towns.ts';
import type { ImportCrs } from '../../server/schema/index.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const fixture = readFileSync('test/fixtures/towns/guazhou.csv', 'utf8');

describe('town and village files', () => {
  let county: County;
  let grids: GridLayer;
  beforeAll(async () => {
    county = await loadCounty('data/guazhou');
    grids = buildGridLayer(county.grids, county.gridsJson);
  });
  const check = async (bytes: Uint8Array, crs: ImportCrs = 'wgs84') =>
    validateTowns({
      table: await readTable(bytes),
      crs,
      countyCode: county.info.code,
      outline: county.outline.features[0]!,
      current: fileTownLayer(county.towns),
      grids: grids.props,
      gridPoint: grids.gridPoint,
      locate: (lng, lat) => grids.locator.locate(lng, lat),
    });

  it('reads the county’s 15 towns and 90 villages from a CSV with Chinese headings, computing the villages’ centres from their grids', async () => {
    const r = await check(utf8(fixture));
    expect(r.fileErrors).toEqual([]);
    expect(r.columns.map((c) => c.field)).toEqual(['name', 'code', 'lng', 'lat', 'population', 'townName']);
    expect(r.summary).toEqual({
      rows: 105,
      kept: 105,
      rejected: 0,
      towns: 15,
      villages: 90,
      centresGiven: 15,
      centresFromGrids: 90,
      flagged: 0,
      keepsTowns: false,
      keepsVillages: false,
    });
    expect(r.unmatched).toEqual({ townsWithoutRecord: [], villagesWithoutRecord: [], townsWithoutGrids: [], villagesWithoutGrids: [] });
    expect(r.warnings).toEqual([]);
    const set = r.set!;
    expect(set.towns.find((t) => t.code === '620922100')).toEqual({
      code: '620922100',
      name: '渊泉镇',
      center: [95.782, 40.52],
      centerSource: 'given',
      population: null,
      seat: true,
    });
    expect(set.towns.filter((t) => t.seat)).toHaveLength(1);
    const shule = set.villages.find((v) => v.code === '620922100001')!;
    expect(shule).toMatchObject({ name: '疏勒社区居委会', townCode: '620922100', centerSource: 'grids', population: 500 });
    // Every computed centre lies inside one of the village's own grids.
    for (const v of set.villages) expect(grids.locator.locate(...v.center)?.villageCode, v.name).toBe(v.code);
    expect(r.preview.features).toHaveLength(105);
    expect(r.preview.features.filter((f) => f.properties.flagged)).toEqual([]);
  });

  it('rejects bad rows by reason with their row numbers, and flags a centre outside the county line', async () => {
    const bad = [
      '某某村,620922100099,,,,渊泉镇', // 107: no grids, no centre
      '外县村,620921100001,95.8,40.5,,', // 108: another county's code (so no town of this one either)
      '重复村,620922100001,95.8,40.5,,渊泉镇', // 109: duplicate of row 17
      '无名镇村,620922199001,95.8,40.5,,', // 110: its town is not in the file
      '负人口村,620922100097,95.8,40.5,-3,渊泉镇', // 111: negative population
      '短码村,62092210,95.8,40.5,,', // 112: neither 9 nor 12 digits
      '错镇村,620922101097,95.8,40.5,,渊泉镇', // 113: named town is not its code's
      '远方村,620922102097,100.5,36.1,,', // 114: a centre far outside: flagged, kept
      '半坐标村,620922102096,95.8,,,', // 115: only a longitude
    ];
    const r = await check(utf8(`${fixture}${bad.join('\n')}\n`));
    const byReason = Object.fromEntries(r.rejected.map((x) => [x.reason, x.rows]));
    expect(byReason).toEqual({
      'no-centre': [107],
      'foreign-code': [108],
      'duplicate-code': [17, 109],
      'unknown-town': [108, 110, 113],
      'bad-field': [111],
      'bad-code': [112],
      'bad-centre': [115],
    });
    expect(r.summary).toMatchObject({ rows: 114, rejected: 9, kept: 105, flagged: 1, villages: 90 });
    expect(r.rows.find((x) => x.row === 111)!.errors[0]!.message).toMatch(/非负整数/);
    const far = r.rows.find((x) => x.row === 114)!;
    expect(far).toMatchObject({ flagged: true, centerSource: 'given', errors: [] });
    expect(r.warnings.some((w) => /不在县界内/.test(w))).toBe(true);
    expect(r.preview.features.find((f) => f.properties.code === '620922102097')!.properties).toMatchObject({ flagged: true, row: 114 });
    // The duplicated village is left out, so its grids have no record.
    expect(r.unmatched.villagesWithoutRecord.map((v) => v.code)).toEqual(['620922100001']);
  });

  it('reads an XLSX with English headings and GCJ-02 centres; a village-only file keeps the board’s towns', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('villages');
    sheet.addRow(['Code', 'Name', 'Town Code', 'Lng', 'Lat', 'Population']);
    const wgs: [number, number] = [95.79, 40.51];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    sheet.addRow(['620922100001', '疏勒新村', '620922100', gcj[0], gcj[1], 1200]);
    sheet.addRow(['620922100002', '榆林社区', '620922100', null, null, null]);
    sheet.addRow(['620922100003', '渊泉社区', '620922101', null, null, null]);
    const r = await check(new Uint8Array(await workbook.xlsx.writeBuffer()), 'gcj02');
    expect(r.fileErrors).toEqual([]);
    expect(r.summary).toMatchObject({ rows: 3, kept: 2, rejected: 1, towns: 0, villages: 2, centresGiven: 1, centresFromGrids: 1, keepsTowns: true, keepsVillages: false });
    expect(r.rejected).toEqual([{ reason: 'bad-field', count: 1, rows: [4] }]);
    const v = r.set!.villages.find((x) => x.code === '620922100001')!;
    expect(distanceMeters(...v.center, ...wgs)).toBeLessThan(2);
    expect(v).toMatchObject({ name: '疏勒新村', population: 1200, centerSource: 'given' });
    expect(r.set!.towns).toHaveLength(15);
    // The grids of the 88 villages not in the file have no record now, and say so.
    expect(r.unmatched.villagesWithoutRecord).toHaveLength(88);
  });

  it('refuses files without the required columns, without rows, or with too many rows', async () => {
    expect((await check(utf8('名称,人口\n渊泉镇,3\n'))).fileErrors[0]).toMatch(/缺少必填列「代码」/);
    expect((await check(utf8('名称,代码\n'))).fileErrors).toContain('文件中没有数据行 (no data rows)');
    const many = ['名称,代码', ...Array.from({ length: MAX_TOWN_ROWS + 1 }, (_, i) => `村${i},620922100${String(i).padStart(3, '0')}`)].join('\n');
    const r = await check(utf8(many));
    expect(r.fileErrors.some((e) => /超过 20000 行/.test(e))).toBe(true);
    expect(r.set).toBeNull();
  });

  it('a centre computed from grids is the weighted centroid when inside them, else a point of the nearest own grid', () => {
    const own = grids.props.filter((g) => g.townCode === '620922100');
    const at = centreFromGrids({ grids: own, gridPoint: grids.gridPoint, locate: (lng, lat) => grids.locator.locate(lng, lat) })!;
    expect(grids.locator.locate(...at)?.townCode).toBe('620922100');
    // A locator that never answers one of the place's grids: snapped to a grid's own point.
    const snapped = centreFromGrids({ grids: own, gridPoint: grids.gridPoint, locate: () => null })!;
    expect(
      own.some((g) => {
        const p = grids.gridPoint(g.id)!;
        return Math.abs(p[0] - snapped[0]) < 1e-6 && Math.abs(p[1] - snapped[1]) < 1e-6;
      }),
    ).toBe(true);
    expect(centreFromGrids({ grids: [], gridPoint: grids.gridPoint, locate: () => null })).toBeNull();
  });

  it('the records rename the grids by code and place the gazetteer’s villages at their centres', async () => {
    const r = await check(utf8(fixture.replace('疏勒社区居委会,620922100001,,,', '疏勒新村,620922100001,95.79,40.51,')));
    const layer = buildTownLayer(r.set!);
    const renamed = relabelGrids(grids.props, layer).filter((g) => g.villageCode === '620922100001');
    expect(renamed.length).toBeGreaterThan(0);
    expect(new Set(renamed.map((g) => g.villageName))).toEqual(new Set(['疏勒新村']));
    expect(relabelGrids(grids.props, fileTownLayer(county.towns))).toBe(grids.props);
    const places = buildGazetteer(layer.towns, grids.grids, grids.gridPoint, layer.villages);
    const [first] = places.search('slxc', 5);
    expect(first).toMatchObject({ kind: 'village', id: '620922100001', name: '疏勒新村', townName: '渊泉镇', point: [95.79, 40.51] });
  });
});
