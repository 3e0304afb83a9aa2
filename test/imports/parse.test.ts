// Reading and validating site imports, without a server: CSV (Chinese or English headings,
// with a BOM, in GB18030), XLSX built here with exceljs, coordinates from GCJ-02 and BD-09
// back to WGS-84, and each problem of the report with the row number the user sees.
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { matchColumns } from '../../server/imports/columns.ts';
import { readTable } from '../../server/imports/read-table.ts';
import { validateRows } from '../../server/imports/validate-rows.ts';
import { distanceMeters } from '../../server/geo/distance.ts';
import { Ambulance, Hospital, SamplingPoint, type ImportCrs, type ImportLayer } from '../../server/schema/index.ts';
import { buildEntity } from '../../server/imports/entity.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** A box around the county seat stands in for the county: inside it, grid "G1". */
const gridOf = (lng: number, lat: number) => (lng > 95 && lng < 97 && lat > 40 && lat < 41 ? 'G1' : null);
const validate = async (bytes: Uint8Array, layer: ImportLayer = 'samplingPoints', crs: ImportCrs = 'wgs84', existing: Record<string, unknown> = {}) =>
  validateRows({ layer, crs, table: await readTable(bytes), existing, gridOf, now: 1_000 });

describe('reading files', () => {
  it('reads Chinese and English headings to the same fields', async () => {
    const zh = await validate(utf8('编号,名称,经度,纬度,类型,开放时间,采样台数\nS1,一号点,95.78,40.52,便民,07:30-19:00,2\n'));
    const en = await validate(utf8('ID,Name,Longitude,Latitude,Kind,Hours,Desks\nS1,一号点,95.78,40.52,convenience,7:30～19:00,2\n'));
    for (const report of [zh, en]) {
      expect(report.fileErrors).toEqual([]);
      expect(report.rows[0]!.errors).toEqual([]);
      expect(report.good).toEqual([{ id: 'S1', name: '一号点', location: [95.78, 40.52], gridId: 'G1', kind: 'convenience', hours: { open: '07:30', close: '19:00' }, desks: 2 }]);
    }
    expect(zh.columns.map((c) => c.field)).toEqual(['id', 'name', 'lng', 'lat', 'kind', 'hours', 'desks']);
  });

  it('matches headings without case, spaces or units in brackets, and leaves unknown ones out', () => {
    const { byField, unknown } = matchColumns('hotels', ['编号', ' 名称 ', 'LNG', 'Lat', '房间数（间）', '备注']);
    expect(Object.fromEntries(byField)).toEqual({ id: 0, name: 1, lng: 2, lat: 3, 'rooms.total': 4 });
    expect(unknown).toEqual([5]);
  });

  it('drops a UTF-8 BOM and reads quoted cells', async () => {
    const table = await readTable(utf8('\uFEFF编号,名称\n"S1","点, 带逗号"\n'));
    expect(table.headings).toEqual(['编号', '名称']);
    expect(table.rows).toEqual([{ row: 2, cells: ['S1', '点, 带逗号'] }]);
  });

  it('reads GB18030 (GBK) text when the bytes are not UTF-8', async () => {
    // "编号,名称\nS1,便民" as Excel saves it on a Chinese Windows.
    const gbk = Uint8Array.from([0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a, 0x53, 0x31, 0x2c, 0xb1, 0xe3, 0xc3, 0xf1, 0x0a]);
    const table = await readTable(gbk);
    expect(table.headings).toEqual(['编号', '名称']);
    expect(table.rows[0]!.cells).toEqual(['S1', '便民']);
  });

  it('keeps the row numbers of the file when blank rows are skipped', async () => {
    const table = await readTable(utf8('编号,名称\nS1,a\n,\nS2,b\n'));
    expect(table.rows.map((r) => r.row)).toEqual([2, 4]);
  });

  it('reads the first worksheet of an XLSX workbook, numbers, times and formulas included', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('医院');
    workbook.addWorksheet('其他').addRow(['不读']);
    sheet.addRow(['编号', '名称', '经度', '纬度', '类型', '床位', 'ICU床位', '隔离床位']);
    sheet.addRow(['HX1', '县第二人民医院', 95.79, 40.51, '后备定点医院', 40, 4, { formula: 'F2/2', result: 20 }]);
    sheet.addRow([]);
    sheet.addRow(['HX2', '方舱', 95.8, 40.5, '方舱医院', 200]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const report = await validate(bytes, 'hospitals');
    expect(report.rows.map((r) => [r.row, r.errors])).toEqual([
      [2, []],
      [4, []],
    ]);
    const [reserve, makeshift] = report.good.map((fields) => Hospital.parse(buildEntity('hospitals', fields, undefined, 1_000)));
    expect(reserve).toMatchObject({ role: 'reserve', open: true, beds: { treatment: { total: 40, occupied: 0 }, icu: { total: 4 }, isolation: { total: 20 } }, maxCapacity: 64 });
    // A makeshift hospital is built closed.
    expect(makeshift).toMatchObject({ role: 'makeshift', open: false, maxCapacity: 200 });
  });

  it('reads English headings and open-all-day hours from a workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow(['id', 'name', 'lng', 'lat', 'kind', 'hours', 'desks']);
    sheet.addRow(['S1', 'a', 95.78, 40.52, 'fixed', '24小时', 4]);
    const report = await validate(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(report.good[0]).toMatchObject({ kind: 'fixed', hours: null, desks: 4 });
  });

  it('refuses bytes that claim to be a workbook but are not', async () => {
    await expect(readTable(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toThrow(/Excel/);
  });
});

describe('coordinates', () => {
  const seat: [number, number] = [95.78, 40.52];
  for (const [crs, system] of [
    ['gcj02', gcoord.GCJ02],
    ['bd09', gcoord.BD09],
  ] as const) {
    it(`converts ${crs} to WGS-84 within a metre`, async () => {
      const shifted = gcoord.transform([...seat] as [number, number], gcoord.WGS84, system);
      // The offset is hundreds of metres: taken as WGS-84 the point would be badly off.
      expect(distanceMeters(seat[0], seat[1], shifted[0], shifted[1])).toBeGreaterThan(100);
      const report = await validate(utf8(`编号,名称,经度,纬度,房间数\nH1,宾馆,${shifted[0]},${shifted[1]},80\n`), 'hotels', crs);
      const [lng, lat] = report.good[0]!.location as [number, number];
      expect(distanceMeters(lng, lat, seat[0], seat[1])).toBeLessThan(1);
    });
  }
});

describe('the validation report', () => {
  const csv = [
    '编号,名称,经度,纬度,类型,开放时间,采样台数', // row 1
    'S1,好的点,95.78,40.52,便民,07:30-19:00,2', // 2: good
    'S2,,95.78,40.52,便民,,', // 3: no name
    'S3,数字不对,95.7x,40.52,固定,,', // 4: unparsable longitude
    'S4,类型不对,95.78,40.52,帐篷,,', // 5: unknown kind
    'S5,重复一,95.78,40.52,流动,,', // 6: duplicate id
    'S5,重复二,95.78,40.52,流动,,', // 7: duplicate id
    'S6,在县外,116.39,39.9,便民,,', // 8: outside the county
    'SP001,已有的点,95.78,40.52,固定,24小时,3', // 9: exists → will update
    'S7,时间不对,95.78,40.52,便民,早上,-1', // 10: bad hours, negative desks
    'S 8,编号不对,95.78,40.52,便民,,', // 11: bad id
  ].join('\r\n');
  const existing = {
    SP001: SamplingPoint.parse({
      id: 'SP001',
      name: '旧名',
      location: [95.7, 40.5],
      gridId: 'G0',
      updatedAt: 0,
      kind: 'convenience',
      serves: 'all',
      hours: null,
      status: 'paused',
      queue: 80,
      desks: 1,
      deskThroughput: 150,
      samplesToday: 556,
      stock: { swabs: 10, tubes: 5 },
    }),
  };

  it('says what is wrong with each row, by its row number, in Chinese', async () => {
    const report = await validate(utf8(csv), 'samplingPoints', 'wgs84', existing);
    const problems = Object.fromEntries(report.rows.map((r) => [r.row, r.errors.map((e) => e.message)]));
    expect(problems).toEqual({
      2: [],
      3: ['缺少必填项「名称」'],
      4: ['「经度」不是有效的数字：95.7x'],
      5: ['未知的类型「帐篷」，可填：固定、便民、流动'],
      6: ['编号「S5」在文件中重复（第 6、7 行）'],
      7: ['编号「S5」在文件中重复（第 6、7 行）'],
      8: ['位置不在本县范围内：116.39, 39.9（请检查坐标系与经纬度顺序）'],
      9: [],
      10: ['「开放时间」格式应为 07:30-19:00 或 24小时：早上', '「采样台数」应为非负整数：-1'],
      11: ['编号「S 8」只能包含字母、数字和 . _ : -，最长64位'],
    });
    expect(report.rows.every((r) => r.errors.every((e) => e.row === r.row))).toBe(true);
    expect(report.rows.find((r) => r.row === 9)).toMatchObject({ action: 'update', notes: [{ message: '编号「SP001」已存在，将更新' }] });
    expect(report.summary).toEqual({ rows: 10, good: 2, withErrors: 8, create: 1, update: 1 });
    expect(report.good.map((g) => g.id)).toEqual(['S1', 'SP001']);
  });

  it('updates an existing site’s static fields and keeps its live figures', async () => {
    const report = await validate(utf8(csv), 'samplingPoints', 'wgs84', existing);
    const updated = SamplingPoint.parse(buildEntity('samplingPoints', report.good[1]!, existing.SP001, 2_000));
    expect(updated).toMatchObject({
      name: '已有的点',
      kind: 'fixed',
      hours: null,
      desks: 3,
      location: [95.78, 40.52],
      gridId: 'G1',
      queue: 80,
      samplesToday: 556,
      status: 'paused',
      updatedAt: 2_000,
    });
    const created = SamplingPoint.parse(buildEntity('samplingPoints', report.good[0]!, undefined, 2_000));
    expect(created).toMatchObject({ status: 'open', queue: 0, samplesToday: 0, deskThroughput: 150, stock: { swabs: 0, tubes: 0 }, serves: 'all' });
  });

  it('reports a missing required column and a file without rows', async () => {
    const report = await validate(utf8('编号,名称,经度\nH1,宾馆,95.78\n'), 'hotels');
    expect(report.fileErrors).toEqual(['缺少必填列「纬度」(纬度 / lat)', '缺少必填列「房间数」(房间数 / 房间总数)']);
    expect(report.rows[0]!.errors.map((e) => e.message)).toEqual(['缺少必填项「纬度」', '缺少必填项「房间数」']);
    expect((await validate(utf8('编号,名称,经度,纬度,房间数\n'), 'hotels')).fileErrors).toEqual(['文件中没有数据行 (no data rows)']);
  });

  it('takes vehicles with or without a position', async () => {
    const report = await validate(utf8('编号,呼号,类型,车组人员,经度,纬度\nNPX,瓜州负压09,负压救护车,张三、李四,,\nORX,瓜州普通09,普通,,95.78,\n'), 'ambulances');
    expect(report.rows.map((r) => r.errors.map((e) => e.message))).toEqual([[], ['经度和纬度须同时填写']]);
    expect(report.good[0]).toEqual({ id: 'NPX', callSign: '瓜州负压09', kind: 'negative-pressure', crew: ['张三', '李四'] });
    const unit = Ambulance.parse(buildEntity('ambulances', report.good[0]!, undefined, 5));
    expect(unit).toMatchObject({ status: 'available', fix: null, gridId: null, taskId: null, station: '' });
  });
});
