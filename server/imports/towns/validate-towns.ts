// The check of a town and village file (乡镇村), before anything is committed: each data row
// read through the column table (Chinese or English headings), its code checked (9 digits a
// town, 12 a village, under the county's code, once in the file), a village's town found (in
// the file, or on the board when the file has no towns), its centre converted to WGS-84 and
// checked against the county line (outside: flagged, kept once confirmed) or, when the file
// gives none, computed from the place's grids; populations non-negative integers. The report
// counts rows read, kept and rejected by reason with their row numbers, centres given and
// computed, and the towns and villages that have grids but no record, and records with no grid.
// Pure: the county's outline, code, grids and present records come in as arguments.
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { flattenPolygon, pointInFlatPolygon } from '../../geo/point-in-polygon.ts';
import { featureRings } from '../../geo/rings.ts';
import type { GridProps, ImportCrs, LngLat, TownImportReport, TownImportRow, TownPreview, TownRecord, TownRejectReason, TownSet, VillageRecord } from '../../schema/index.ts';
import { readCell } from '../cells.ts';
import { matchSpecs, type ColumnSpec } from '../columns.ts';
import type { Table } from '../read-table.ts';
import { toWgs84 } from '../validate-rows.ts';
import { centreFromGrids } from './centres.ts';

/** A county has some hundreds of villages: a file of more rows than this is not a gazetteer. */
export const MAX_TOWN_ROWS = 20_000;

const text = { kind: 'text' } as const;
const num = { kind: 'number' } as const;

export const TOWN_COLUMNS: ColumnSpec[] = [
  {
    field: 'code',
    label: '代码',
    headings: ['代码', '区划代码', '统计用区划代码', '行政区划代码', '编码', '村代码', '村编码', '社区代码', 'code', 'adcode'],
    type: text,
    required: true,
  },
  { field: 'name', label: '名称', headings: ['名称', '村名称', '村社区名称', '村（社区）名称', '社区名称', '村名', 'name'], type: text, required: true },
  { field: 'lng', label: '中心经度', headings: ['中心经度', '经度', 'lng', 'lon', 'longitude', 'centerlng', 'x'], type: num },
  { field: 'lat', label: '中心纬度', headings: ['中心纬度', '纬度', 'lat', 'latitude', 'centerlat', 'y'], type: num },
  { field: 'population', label: '人口', headings: ['人口', '人口数', '户籍人口', '常住人口', 'population'], type: { kind: 'int' } },
  { field: 'townCode', label: '乡镇代码', headings: ['乡镇代码', '所属乡镇代码', '乡镇编码', 'towncode'], type: text },
  { field: 'townName', label: '乡镇', headings: ['乡镇', '所属乡镇', '乡镇名称', '乡镇街道', 'town', 'townname'], type: text },
  { field: 'seat', label: '县政府驻地', headings: ['县政府驻地', '驻地', '是否驻地', 'seat'], type: { kind: 'bool' } },
];

export interface ValidateTownsInput {
  table: Table;
  crs: ImportCrs;
  /** The county's 6-digit code ('' when unknown: no prefix check). */
  countyCode: string;
  outline: Feature<Polygon | MultiPolygon>;
  /** The records on the board now (villages null: only those the grids name). */
  current: { towns: readonly TownRecord[]; villages: readonly VillageRecord[] | null };
  /** The grids on the board, as their files name them. */
  grids: readonly GridProps[];
  gridPoint: (gridId: string) => LngLat | undefined;
  locate: (lng: number, lat: number) => GridProps | null;
}

export type ValidatedTowns = Pick<TownImportReport, 'columns' | 'fileErrors' | 'rows' | 'summary' | 'rejected' | 'unmatched' | 'warnings'> & {
  /** The set a commit would make (null: nothing could be committed). */
  set: TownSet | null;
  /** The set's centres for the preview map (flagged: outside the county line). Rows with errors are never in the set. */
  preview: TownPreview;
};

const MESSAGE_CAP = 50;
const NAMED_CAP = 100;

interface Parsed {
  row: TownImportRow;
  fields: { code?: string; name?: string; lng?: number; lat?: number; population?: number; townCode?: string; townName?: string; seat?: boolean };
  center: LngLat | null;
}

export function validateTowns(input: ValidateTownsInput): ValidatedTowns {
  const { table, crs, countyCode, outline, current, grids } = input;
  let { byField } = matchSpecs(TOWN_COLUMNS, table.headings);
  // A table of towns only may name its columns 乡镇名称 / 乡镇代码: those are then the rows' own.
  if (!byField.has('name') && !byField.has('code') && byField.has('townName') && byField.has('townCode')) {
    byField = new Map([...byField].map(([f, i]) => [f === 'townName' ? 'name' : f === 'townCode' ? 'code' : f, i]));
  }
  const fieldOf = new Map([...byField].map(([field, index]) => [index, field]));
  const columns = table.headings.map((heading, i) => ({ heading, field: fieldOf.get(i) ?? null })).filter((c) => c.heading !== '');
  const fileErrors: string[] = [];
  for (const spec of TOWN_COLUMNS)
    if (spec.required && !byField.has(spec.field)) fileErrors.push(`缺少必填列「${spec.label}」(${spec.headings.slice(0, 2).join(' / ')} / ${spec.headings.at(-1)})`);
  if (byField.has('lng') !== byField.has('lat')) fileErrors.push('中心经度和中心纬度两列须同时提供 (lng and lat come together)');
  if (table.rows.length === 0) fileErrors.push('文件中没有数据行 (no data rows)');
  if (table.rows.length > MAX_TOWN_ROWS) fileErrors.push(`文件有 ${table.rows.length} 行，超过 ${MAX_TOWN_ROWS} 行的上限 (too many rows)`);

  const outlineRings = flattenPolygon(featureRings(outline, 0, 'town import'));
  const inCounty = (at: LngLat) => pointInFlatPolygon(outlineRings, at[0], at[1]);
  const parsed: Parsed[] = [];
  const rowsByCode = new Map<string, number[]>();
  const reject = (p: Parsed, reason: TownRejectReason, column: string | null, message: string) => p.row.errors.push({ reason, column, message });

  for (const { row, cells } of fileErrors.length ? [] : table.rows) {
    const p: Parsed = { row: { row, kind: null, code: null, name: null, townCode: null, centerSource: null, flagged: false, errors: [], notes: [] }, fields: {}, center: null };
    for (const spec of TOWN_COLUMNS) {
      const index = byField.get(spec.field);
      const cell = index === undefined ? '' : (cells[index] ?? '').trim();
      if (cell === '') {
        if (spec.required) reject(p, 'missing-field', spec.label, `缺少必填项「${spec.label}」`);
        continue;
      }
      const read = readCell(cell, spec.type, spec.label);
      if (read.ok) (p.fields as Record<string, unknown>)[spec.field] = read.value;
      else reject(p, 'bad-field', spec.label, read.message);
    }
    const { code, name } = p.fields;
    if (name !== undefined) {
      p.row.name = name;
      if (name.length > 40) reject(p, 'bad-field', '名称', `名称过长（${name.length} 字，最多 40 字）`);
    }
    if (code !== undefined) {
      p.row.code = code;
      if (!/^(\d{9}|\d{12})$/.test(code)) reject(p, 'bad-code', '代码', `代码「${code}」应为 9 位乡镇代码或 12 位村（社区）代码`);
      else {
        p.row.kind = code.length === 9 ? 'town' : 'village';
        if (countyCode && !code.startsWith(countyCode)) reject(p, 'foreign-code', '代码', `代码「${code}」不属于本县（应以 ${countyCode} 开头）`);
        rowsByCode.set(code, [...(rowsByCode.get(code) ?? []), row]);
      }
    }
    const { lng, lat } = p.fields;
    if (lng !== undefined && lat !== undefined) {
      if (lng < -180 || lng > 180 || lat < -90 || lat > 90) reject(p, 'bad-centre', '中心经纬度', `中心经纬度超出范围：${lng}, ${lat}（经度在前，纬度在后）`);
      else {
        p.center = toWgs84(lng, lat, crs);
        p.row.centerSource = 'given';
        if (!inCounty(p.center)) {
          p.row.flagged = true;
          p.row.notes.push(`中心 ${lng}, ${lat} 不在县界内（请检查坐标系与经纬度顺序），确认后仍可提交`);
        }
      }
    } else if ((lng === undefined) !== (lat === undefined) && !p.row.errors.some((e) => e.column === '中心经度' || e.column === '中心纬度')) {
      reject(p, 'bad-centre', '中心经纬度', '中心经度和中心纬度须同时填写');
    }
    parsed.push(p);
  }
  for (const [code, at] of rowsByCode) {
    if (at.length < 2) continue;
    for (const p of parsed.filter((x) => at.includes(x.row.row))) reject(p, 'duplicate-code', '代码', `代码「${code}」在文件中重复（第 ${at.join('、')} 行）`);
  }

  // Towns first: the villages' towns are among them (or, with no town rows, the board's).
  const townRows = parsed.filter((p) => p.row.kind === 'town');
  const villageRows = parsed.filter((p) => p.row.kind === 'village');
  const keepsTowns = townRows.length === 0;
  const keepsVillages = villageRows.length === 0;
  const gridsOfTown = groupBy(grids, (g) => g.townCode);
  const gridsOfVillage = groupBy(grids, (g) => g.villageCode);
  const centreOf = (p: Parsed, own: readonly GridProps[] | undefined): LngLat | null => {
    if (p.center) return p.center;
    if (p.row.errors.length) return null;
    const at = own ? centreFromGrids({ grids: own, gridPoint: input.gridPoint, locate: input.locate }) : null;
    if (!at) reject(p, 'no-centre', '中心经纬度', '未填中心经纬度，且本县网格中没有该地的网格，无法推算中心');
    else p.row.centerSource = 'grids';
    return at;
  };
  const currentSeat = current.towns.find((t) => t.seat)?.code;
  const seatGiven = byField.has('seat');
  const towns: TownRecord[] = [];
  const keptRows = new Map<string, number>();
  for (const p of townRows) {
    p.row.townCode = p.row.code;
    const center = centreOf(p, gridsOfTown.get(p.row.code!));
    if (p.row.errors.length || !center) continue;
    towns.push({
      code: p.row.code!,
      name: p.fields.name!,
      center,
      centerSource: p.row.centerSource!,
      population: p.fields.population ?? null,
      seat: seatGiven ? p.fields.seat === true : p.row.code === currentSeat,
    });
    keptRows.set(p.row.code!, p.row.row);
  }
  const finalTowns: readonly TownRecord[] = keepsTowns ? current.towns : towns;
  const townByCode = new Map(finalTowns.map((t) => [t.code, t]));
  const villages: VillageRecord[] = [];
  for (const p of villageRows) {
    const code = p.row.code!;
    const ownTown = code.slice(0, 9);
    p.row.townCode = ownTown;
    const { townCode, townName } = p.fields;
    if (townCode !== undefined && townCode !== ownTown) reject(p, 'bad-field', '乡镇代码', `乡镇代码「${townCode}」与村代码「${code}」的前 9 位不符`);
    const town = townByCode.get(ownTown);
    if (!town) reject(p, 'unknown-town', '乡镇', `所属乡镇 ${ownTown}${townName ? `（${townName}）` : ''}${keepsTowns ? '不在本县乡镇名录中' : '不在文件的乡镇中（或该行有误）'}`);
    else if (townName !== undefined && townName !== town.name) reject(p, 'unknown-town', '乡镇', `所属乡镇「${townName}」与代码 ${ownTown} 的乡镇「${town.name}」不符`);
    const center = centreOf(p, gridsOfVillage.get(code));
    if (p.row.errors.length || !center) continue;
    villages.push({ code, name: p.fields.name!, townCode: ownTown, center, centerSource: p.row.centerSource!, population: p.fields.population ?? null });
    keptRows.set(code, p.row.row);
  }
  const warnings: string[] = [];
  let finalVillages: VillageRecord[];
  if (keepsVillages) {
    // The board's villages stay (records, or those the grids name, centred from their grids), under the towns kept.
    const present = current.villages ?? villagesOfGrids(grids, input);
    finalVillages = present.filter((v) => townByCode.has(v.townCode));
    if (finalVillages.length < present.length)
      warnings.push(`文件没有村（社区）行：沿用现有村（社区），其中 ${present.length - finalVillages.length} 个所属乡镇不在新乡镇名录中，将被移除`);
  } else finalVillages = villages;

  const rows = parsed.map((p) => p.row);
  const flagged = rows.filter((r) => r.flagged && r.errors.length === 0).length;
  if (flagged) warnings.push(`${flagged} 个中心不在县界内（地图上以红色标出），确认后可提交`);
  const rejectedRows = rows.filter((r) => r.errors.length > 0);
  const byReason = new Map<TownRejectReason, number[]>();
  for (const r of rejectedRows) for (const reason of new Set(r.errors.map((e) => e.reason))) byReason.set(reason, [...(byReason.get(reason) ?? []), r.row]);

  const unmatched = unmatchedPlaces(grids, finalTowns, finalVillages);
  if (unmatched.townsWithoutRecord.length) warnings.push(`${unmatched.townsWithoutRecord.length} 个乡镇有网格但没有记录（其网格沿用网格文件中的名称）`);
  const set = fileErrors.length === 0 && finalTowns.length > 0 && (towns.length > 0 || villages.length > 0) ? { towns: [...finalTowns], villages: finalVillages } : null;
  if (fileErrors.length === 0 && !set) fileErrors.push('没有可提交的乡镇或村（社区）记录 (nothing to commit)');
  return {
    columns,
    fileErrors,
    rows,
    rejected: [...byReason].map(([reason, at]) => ({ reason, count: at.length, rows: at.slice(0, MESSAGE_CAP) })),
    unmatched,
    warnings,
    set,
    preview: previewOf(set, keptRows, new Set(rows.filter((r) => r.flagged).map((r) => r.code ?? '')), inCounty),
    summary: {
      rows: rows.length,
      kept: rows.length - rejectedRows.length,
      rejected: rejectedRows.length,
      towns: towns.length,
      villages: villages.length,
      centresGiven: [...towns, ...villages].filter((x) => x.centerSource === 'given').length,
      centresFromGrids: [...towns, ...villages].filter((x) => x.centerSource === 'grids').length,
      flagged,
      keepsTowns,
      keepsVillages,
    },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The villages the grids name, each centred from its grids (the board's villages before any import). */
export function villagesOfGrids(grids: readonly GridProps[], at: Pick<ValidateTownsInput, 'gridPoint' | 'locate'>): VillageRecord[] {
  const out: VillageRecord[] = [];
  for (const [code, own] of groupBy(grids, (g) => g.villageCode)) {
    const center = centreFromGrids({ grids: own, ...at });
    if (center && /^\d{12}$/.test(code)) out.push({ code, name: own[0]!.villageName, townCode: own[0]!.townCode, center, centerSource: 'grids', population: null });
  }
  return out;
}

function unmatchedPlaces(grids: readonly GridProps[], towns: readonly TownRecord[], villages: readonly VillageRecord[]): TownImportReport['unmatched'] {
  const count = (key: (g: GridProps) => string, name: (g: GridProps) => string) => {
    const m = new Map<string, { name: string; grids: number }>();
    for (const g of grids) {
      const k = key(g);
      const e = m.get(k);
      if (e) e.grids++;
      else m.set(k, { name: name(g), grids: 1 });
    }
    return m;
  };
  const gridTowns = count(
    (g) => g.townCode,
    (g) => g.townName,
  );
  const gridVillages = count(
    (g) => g.villageCode,
    (g) => g.villageName,
  );
  const townCodes = new Set(towns.map((t) => t.code));
  const villageCodes = new Set(villages.map((v) => v.code));
  const cap = <T>(list: T[]) => list.slice(0, NAMED_CAP);
  return {
    townsWithoutRecord: cap([...gridTowns].filter(([c]) => !townCodes.has(c)).map(([code, e]) => ({ code, ...e }))),
    villagesWithoutRecord: cap([...gridVillages].filter(([c]) => !villageCodes.has(c)).map(([code, e]) => ({ code, ...e }))),
    townsWithoutGrids: cap(towns.filter((t) => !gridTowns.has(t.code)).map((t) => ({ code: t.code, name: t.name, grids: 0 }))),
    villagesWithoutGrids: cap(villages.filter((v) => !gridVillages.has(v.code)).map((v) => ({ code: v.code, name: v.name, grids: 0 }))),
  };
}

function previewOf(set: TownSet | null, rowOf: Map<string, number>, flaggedCodes: Set<string>, inCounty: (at: LngLat) => boolean): TownPreview {
  if (!set) return { type: 'FeatureCollection', features: [] };
  const point = (kind: 'town' | 'village', r: TownRecord | VillageRecord): TownPreview['features'][number] => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: r.center },
    properties: { kind, code: r.code, name: r.name, row: rowOf.get(r.code) ?? null, centerSource: r.centerSource, flagged: flaggedCodes.has(r.code) || !inCounty(r.center) },
  });
  return { type: 'FeatureCollection', features: [...set.towns.map((t) => point('town', t)), ...set.villages.map((v) => point('village', v))] };
}
