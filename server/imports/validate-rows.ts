// The validation report of an import, before anything is committed: each data row read
// through the column table, its coordinates converted to WGS-84 (gcoord) and located in
// the county, ids checked for duplicates within the file and against the store, and the
// resulting entity checked against its schema. Pure: the store's entities and the county's
// locator come in as arguments.
import gcoord from 'gcoord';
import { Id, type ImportCrs, type ImportedFields, type ImportLayer, type ImportProblem, type ImportReport, type ImportRow } from '../schema/index.ts';
import { COLUMNS, matchColumns } from './columns.ts';
import { Jt808Identity, OsmandDeviceId, TerminalId, jt808Key, type TerminalKind } from '../schema/terminals.ts';
import { readCell } from './cells.ts';
import { buildEntity, SCHEMAS } from './entity.ts';
import type { Table } from './read-table.ts';

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** [lng, lat] in the file's system → WGS-84, rounded to 7 decimals (about a centimetre). */
export function toWgs84(lng: number, lat: number, crs: ImportCrs): [number, number] {
  const [x, y] = crs === 'wgs84' ? [lng, lat] : gcoord.transform([lng, lat], CRS[crs], gcoord.WGS84);
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

export interface ValidateInput {
  layer: ImportLayer;
  crs: ImportCrs;
  table: Table;
  /** The layer's entities now in the store, by id. */
  existing: Record<string, unknown>;
  /** Which vehicle holds a terminal identity now (vehicles only; absent: none is checked). */
  boundTo?: (kind: TerminalKind, identity: string) => string | undefined;
  /** The grid at a WGS-84 point, or null outside the county. */
  gridOf: (lng: number, lat: number) => string | null;
  now: number;
}

export type Validated = Pick<ImportReport, 'columns' | 'fileErrors' | 'rows' | 'summary'> & { good: ImportedFields[] };

export function validateRows({ layer, crs, table, existing, gridOf, now, boundTo }: ValidateInput): Validated {
  const specs = COLUMNS[layer];
  const { byField } = matchColumns(layer, table.headings);
  const fieldOf = new Map([...byField].map(([field, index]) => [index, field]));
  const columns = table.headings.map((heading, i) => ({ heading, field: fieldOf.get(i) ?? null })).filter((c) => c.heading !== '');
  const fileErrors: string[] = [];
  for (const spec of specs) if (spec.required && !byField.has(spec.field)) fileErrors.push(`缺少必填列「${spec.label}」(${spec.headings.slice(0, 2).join(' / ')})`);
  if (table.rows.length === 0) fileErrors.push('文件中没有数据行 (no data rows)');

  const rows: ImportRow[] = [];
  const fieldsByRow = new Map<number, ImportedFields>();
  const rowsById = new Map<string, number[]>();
  /** kind:identity → the rows naming it (one terminal in two rows is an error). */
  const rowsByTerminal = new Map<string, number[]>();
  for (const { row, cells } of table.rows) {
    const errors: ImportProblem[] = [];
    const notes: ImportProblem[] = [];
    const fields: Record<string, unknown> = {};
    for (const spec of specs) {
      const index = byField.get(spec.field);
      const text = index === undefined ? '' : (cells[index] ?? '').trim();
      if (text === '') {
        if (spec.required) errors.push({ row, column: spec.label, message: `缺少必填项「${spec.label}」` });
        continue;
      }
      const read = readCell(text, spec.type, spec.label);
      if (read.ok) fields[spec.field] = read.value;
      else errors.push({ row, column: spec.label, message: read.message });
    }
    const id = typeof fields.id === 'string' ? fields.id : null;
    if (id !== null && !Id.safeParse(id).success) errors.push({ row, column: '编号', message: `编号「${id}」只能包含字母、数字和 . _ : -，最长64位` });
    if (id !== null) rowsById.set(id, [...(rowsById.get(id) ?? []), row]);
    // Coordinates: both or neither, in range, converted, inside the county.
    const { lng, lat } = fields as { lng?: number; lat?: number };
    delete fields.lng;
    delete fields.lat;
    if ((lng === undefined) !== (lat === undefined)) {
      if (!errors.some((e) => e.column === '经度' || e.column === '纬度')) errors.push({ row, column: '经纬度', message: '经度和纬度须同时填写' });
    } else if (lng !== undefined && lat !== undefined) {
      if (lng < -180 || lng > 180 || lat < -90 || lat > 90) errors.push({ row, column: '经纬度', message: `经纬度超出范围：${lng}, ${lat}（经度在前，纬度在后）` });
      else {
        const location = toWgs84(lng, lat, crs);
        const gridId = gridOf(...location);
        if (gridId === null) errors.push({ row, column: '经纬度', message: `位置不在本县范围内：${lng}, ${lat}（请检查坐标系与经纬度顺序）` });
        fields.location = location;
        fields.gridId = gridId;
      }
    }
    if (layer === 'ambulances')
      for (const [kind, identity] of checkTerminals(fields, row, errors, id, boundTo))
        rowsByTerminal.set(`${kind}:${identity}`, [...(rowsByTerminal.get(`${kind}:${identity}`) ?? []), row]);
    const current = id === null ? undefined : existing[id];
    if (id !== null && current !== undefined) notes.push({ row, column: '编号', message: `编号「${id}」已存在，将更新` });
    if (errors.length === 0 && id !== null) {
      const checked = SCHEMAS[layer].safeParse(buildEntity(layer, fields as ImportedFields, current, now));
      if (!checked.success)
        for (const issue of checked.error.issues) errors.push({ row, column: issue.path.join('.') || null, message: `数据不符合要求：${issue.path.join('.')} ${issue.message}` });
    }
    const name = (fields.name ?? fields.callSign ?? null) as string | null;
    rows.push({ row, id, name, action: id === null ? null : current === undefined ? 'create' : 'update', errors, notes });
    if (id !== null) fieldsByRow.set(row, fields as ImportedFields);
  }
  // Duplicate ids: every occurrence is an error, since the file does not say which one is right.
  for (const [id, at] of rowsById) {
    if (at.length < 2) continue;
    for (const r of rows.filter((x) => at.includes(x.row))) r.errors.push({ row: r.row, column: '编号', message: `编号「${id}」在文件中重复（第 ${at.join('、')} 行）` });
  }
  for (const [terminal, at] of rowsByTerminal) {
    if (at.length < 2) continue;
    for (const r of rows.filter((x) => at.includes(x.row)))
      r.errors.push({ row: r.row, column: '终端', message: `终端「${terminal.replace(/^\w+:/, '')}」在文件中重复（第 ${at.join('、')} 行）` });
  }
  const goodRows = rows.filter((r) => r.errors.length === 0);
  const good = goodRows.map((r) => fieldsByRow.get(r.row)!);
  return {
    columns,
    fileErrors,
    rows,
    good,
    summary: {
      rows: rows.length,
      good: goodRows.length,
      withErrors: rows.length - goodRows.length,
      create: goodRows.filter((r) => r.action === 'create').length,
      update: goodRows.filter((r) => r.action === 'update').length,
    },
  };
}

/**
 * A vehicle row's terminal identities: readable, a terminal id only with a phone, and not held by
 * another vehicle (a move is made on the vehicles' screen, not by a file). The identities it names.
 */
function checkTerminals(fields: Record<string, unknown>, row: number, errors: ImportProblem[], id: string | null, boundTo: ValidateInput['boundTo']): [TerminalKind, string][] {
  const named: [TerminalKind, string][] = [];
  const phone = fields['terminal.jt808Phone'] as string | undefined;
  const terminalId = fields['terminal.terminalId'] as string | undefined;
  const osmandId = fields['terminal.osmandId'] as string | undefined;
  if (phone !== undefined) {
    const read = Jt808Identity.safeParse(phone);
    if (!read.success) errors.push({ row, column: '终端手机号', message: `终端手机号「${phone}」须为 1–20 位数字（或 x 加十六进制）` });
    else {
      fields['terminal.jt808Phone'] = read.data;
      named.push(['jt808', jt808Key(read.data)]);
    }
  }
  if (terminalId !== undefined && !TerminalId.safeParse(terminalId).success) errors.push({ row, column: '终端ID', message: `终端ID「${terminalId.slice(0, 40)}」最长30位` });
  if (terminalId !== undefined && phone === undefined) errors.push({ row, column: '终端ID', message: '填写终端ID时须同时填写终端手机号' });
  if (osmandId !== undefined) {
    if (!OsmandDeviceId.safeParse(osmandId).success) errors.push({ row, column: 'OsmAnd设备号', message: `OsmAnd设备号「${osmandId.slice(0, 70)}」须为 1–64 个可打印 ASCII 字符` });
    else named.push(['osmand', osmandId]);
  }
  for (const [kind, identity] of named) {
    const holder = boundTo?.(kind, identity);
    if (holder !== undefined && holder !== id)
      errors.push({ row, column: kind === 'jt808' ? '终端手机号' : 'OsmAnd设备号', message: `终端「${identity}」已绑定到车辆 ${holder}，请先在“车辆与终端”中解绑或改绑` });
  }
  return named;
}
