// The import's column table: for each layer, the fields a file may carry, the headings
// accepted for each (Chinese or English, matched without case, spaces or brackets), how
// the text is read, and where the value goes in the entity. One table, read top to bottom.
import type { ImportLayer } from '../schema/index.ts';

export type ColumnType =
  | { kind: 'text' }
  | { kind: 'int' }
  | { kind: 'number' }
  /** One of a fixed set of values, each with the words a file may use for it. */
  | { kind: 'enum'; values: Record<string, string[]> }
  /** "07:30-19:00", "7:30～19:00" or "24小时"/"全天" (open 24 h). */
  | { kind: 'hours' }
  | { kind: 'bool' }
  /** Names separated by 、，,;；/ or spaces. */
  | { kind: 'list' };

export interface ColumnSpec {
  /** The field's name in the report (and the entity path it fills, dotted). */
  field: string;
  /** Chinese label for the report's messages. */
  label: string;
  headings: string[];
  type: ColumnType;
  required?: boolean;
}

const text = { kind: 'text' } as const;
const int = { kind: 'int' } as const;
const num = { kind: 'number' } as const;

const ID: ColumnSpec = { field: 'id', label: '编号', headings: ['编号', 'id', '代码', '编码', 'code'], type: text, required: true };
const NAME: ColumnSpec = { field: 'name', label: '名称', headings: ['名称', 'name', '采样点名称', '隔离点名称', '医院名称', '点位名称'], type: text, required: true };
const LNG: ColumnSpec = { field: 'lng', label: '经度', headings: ['经度', 'lng', 'lon', 'long', 'longitude', 'x'], type: num, required: true };
const LAT: ColumnSpec = { field: 'lat', label: '纬度', headings: ['纬度', 'lat', 'latitude', 'y'], type: num, required: true };

export const COLUMNS: Record<ImportLayer, ColumnSpec[]> = {
  samplingPoints: [
    ID,
    NAME,
    LNG,
    LAT,
    {
      field: 'kind',
      label: '类型',
      headings: ['类型', 'kind', 'type', '采样点类型'],
      required: true,
      type: {
        kind: 'enum',
        values: {
          fixed: ['固定', '固定采样点', '医院采样点', 'fixed'],
          convenience: ['便民', '便民采样点', '社区采样点', 'convenience'],
          mobile: ['流动', '流动采样点', '采样车', '移动', 'mobile'],
        },
      },
    },
    {
      field: 'serves',
      label: '服务对象',
      headings: ['服务对象', '服务人群', 'serves'],
      type: { kind: 'enum', values: { all: ['全部', '所有人群', '全员', 'all'], 'key-groups': ['重点人群', 'key-groups', 'key groups'] } },
    },
    { field: 'hours', label: '开放时间', headings: ['开放时间', '服务时间', 'hours', 'opening hours'], type: { kind: 'hours' } },
    {
      field: 'status',
      label: '状态',
      headings: ['状态', 'status'],
      type: { kind: 'enum', values: { open: ['开放', '正常', 'open'], paused: ['暂停', 'paused'], closed: ['关闭', '休息', 'closed'] } },
    },
    { field: 'desks', label: '采样台数', headings: ['采样台数', '采样台', 'desks'], type: int },
    { field: 'deskThroughput', label: '每台每小时采样量', headings: ['每台每小时采样量', '采样能力', 'throughput', 'desk throughput'], type: num },
    { field: 'stock.swabs', label: '拭子库存', headings: ['拭子库存', '拭子', 'swabs'], type: int },
    { field: 'stock.tubes', label: '采样管库存', headings: ['采样管库存', '采样管', 'tubes'], type: int },
  ],
  hotels: [
    ID,
    NAME,
    LNG,
    LAT,
    { field: 'rooms.total', label: '房间数', headings: ['房间数', '房间总数', '房间', 'rooms'], type: int, required: true },
    { field: 'staff.doctors', label: '医生数', headings: ['医生数', '医生', 'doctors'], type: int },
    { field: 'staff.nurses', label: '护士数', headings: ['护士数', '护士', 'nurses'], type: int },
  ],
  hospitals: [
    ID,
    NAME,
    LNG,
    LAT,
    {
      field: 'role',
      label: '类型',
      headings: ['类型', '医院类型', 'role', 'kind', 'type'],
      required: true,
      type: {
        kind: 'enum',
        values: {
          designated: ['定点医院', '定点', 'designated'],
          reserve: ['后备定点医院', '后备', 'reserve'],
          makeshift: ['方舱医院', '方舱', 'makeshift'],
          'fever-clinic': ['发热门诊', 'fever-clinic', 'fever clinic'],
        },
      },
    },
    { field: 'open', label: '是否启用', headings: ['是否启用', '启用', 'open'], type: { kind: 'bool' } },
    { field: 'beds.treatment.total', label: '救治床位', headings: ['救治床位', '床位', '床位数', 'beds', 'treatment beds'], type: int, required: true },
    { field: 'beds.icu.total', label: 'ICU床位', headings: ['icu床位', '重症床位', 'icu', 'icu beds'], type: int },
    { field: 'beds.isolation.total', label: '隔离床位', headings: ['隔离床位', '负压病房', 'isolation beds', 'isolation'], type: int },
    { field: 'maxCapacity', label: '最大收治能力', headings: ['最大收治能力', '最大收治人数', 'max capacity', 'maxcapacity'], type: int },
  ],
  ambulances: [
    ID,
    { field: 'callSign', label: '呼号', headings: ['呼号', '车辆名称', '名称', '车牌号', 'call sign', 'callsign', 'name'], type: text, required: true },
    {
      field: 'kind',
      label: '类型',
      headings: ['类型', '车型', 'kind', 'type'],
      required: true,
      type: { kind: 'enum', values: { 'negative-pressure': ['负压', '负压救护车', 'negative-pressure', 'negative pressure'], ordinary: ['普通', '普通救护车', 'ordinary'] } },
    },
    { field: 'station', label: '所属单位', headings: ['所属单位', '驻地', '站点', 'station'], type: text },
    { field: 'crew', label: '车组人员', headings: ['车组人员', '车组', 'crew'], type: { kind: 'list' } },
    // Its terminals (optional): bound to the vehicle when the import is committed. An OsmAnd phone's
    // key is never in a file: it keeps the key it has, or an admin makes one on the vehicles' screen.
    { field: 'terminal.jt808Phone', label: '终端手机号', headings: ['终端手机号', '终端号', '终端SIM卡号', 'SIM卡号', 'jt808', 'jt808 phone', 'terminal phone'], type: text },
    { field: 'terminal.terminalId', label: '终端ID', headings: ['终端ID', '终端编号', 'terminal id'], type: text },
    { field: 'terminal.osmandId', label: 'OsmAnd设备号', headings: ['OsmAnd设备号', '定位设备号', 'osmand id', 'osmand', 'traccar id', 'device id'], type: text },
    // A vehicle's position is optional: its first fix, until its terminal reports.
    { ...LNG, required: false },
    { ...LAT, required: false },
  ],
};

/** A heading as compared: lower case, without spaces, brackets and what they hold (units), or a BOM. */
export const headingKey = (heading: string): string =>
  heading
    .replace(/^\uFEFF/, '')
    .replace(/[（(][^）)]*[)）]/g, '')
    .replace(/[\s_*]/g, '')
    .toLowerCase();

/** Which column of the file feeds which field (first match wins); headings that feed none. */
export function matchColumns(layer: ImportLayer, headings: string[]): { byField: Map<string, number>; unknown: number[] } {
  return matchSpecs(COLUMNS[layer], headings);
}

/** The same for any column table (the town and village import has its own). */
export function matchSpecs(specs: readonly ColumnSpec[], headings: string[]): { byField: Map<string, number>; unknown: number[] } {
  const byField = new Map<string, number>();
  const unknown: number[] = [];
  headings.forEach((heading, index) => {
    const key = headingKey(heading);
    if (!key) return;
    const spec = specs.find((c) => !byField.has(c.field) && c.headings.some((h) => headingKey(h) === key));
    if (spec) byField.set(spec.field, index);
    else unknown.push(index);
  });
  return { byField, unknown };
}
