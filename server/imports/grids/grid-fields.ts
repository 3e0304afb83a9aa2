// The grid file's attribute names → the board's grid fields (GridProps), in Chinese or
// English, matched as site imports match their headings (no case, spaces, brackets or
// underscores). Codes a file leaves out are filled from the county's gazetteer by name.
import { GridProps, type Town } from '../../schema/index.ts';
import { headingKey } from '../columns.ts';
import type { GridProblem } from '../../schema/index.ts';

interface FieldSpec {
  field: keyof GridProps;
  label: string;
  names: string[];
  required?: boolean;
}

export const GRID_FIELDS: FieldSpec[] = [
  { field: 'id', label: '网格编号', names: ['网格编号', '网格编码', '网格代码', '编号', '编码', '代码', 'id', 'gridid', 'gridcode', 'code', 'wgbh', 'wgbm'], required: true },
  { field: 'name', label: '网格名称', names: ['网格名称', '名称', '网格名', 'name', 'gridname', 'wgmc'], required: true },
  {
    field: 'villageName',
    label: '村（社区）',
    names: ['村', '村社区', '社区', '村名', '村名称', '所属村', '所属社区', '村委会', '居委会', 'village', 'villagename', 'community'],
    required: true,
  },
  { field: 'townName', label: '乡镇', names: ['乡镇', '乡镇街道', '镇', '乡镇名称', '所属乡镇', '街道', 'town', 'townname', 'township'], required: true },
  { field: 'villageCode', label: '村代码', names: ['村代码', '村编码', '社区代码', '村级代码', 'villagecode'] },
  { field: 'townCode', label: '乡镇代码', names: ['乡镇代码', '乡镇编码', 'towncode'] },
  { field: 'population', label: '人口', names: ['人口', '人口数', '常住人口', '户籍人口', '人数', 'population', 'pop'] },
  { field: 'lead', label: '网格长', names: ['网格长', '网格员', '负责人', 'lead', 'gridlead', 'manager'] },
];

/** Which attribute feeds which field (first match wins), over every name the file's features use. */
export function matchGridFields(names: string[]): Map<keyof GridProps, string> {
  const byField = new Map<keyof GridProps, string>();
  for (const name of names) {
    const key = headingKey(name);
    if (!key) continue;
    const spec = GRID_FIELDS.find((s) => !byField.has(s.field) && s.names.some((n) => headingKey(n) === key));
    if (spec) byField.set(spec.field, name);
  }
  return byField;
}

/** What the county knows by name: its towns' codes, and each village's code and town. */
export interface Gazetteer {
  towns: readonly Pick<Town, 'code' | 'name'>[];
  villages: { code: string; name: string; townName: string }[];
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** One feature's grid fields, and what is wrong with them. */
export function readGridProps(
  feature: number,
  props: Record<string, unknown> | null,
  byField: Map<keyof GridProps, string>,
  gazetteer: Gazetteer,
): { props: GridProps | null; errors: GridProblem[]; warnings: GridProblem[] } {
  const errors: GridProblem[] = [];
  const warnings: GridProblem[] = [];
  const get = (field: keyof GridProps) => {
    const name = byField.get(field);
    return name === undefined ? '' : text(props?.[name]);
  };
  const out: Record<string, unknown> = {};
  for (const spec of GRID_FIELDS) {
    const value = get(spec.field);
    if (value === '' && spec.required) errors.push({ feature, code: 'missing-field', message: `缺少必填项「${spec.label}」` });
    out[spec.field] = value;
  }
  const population = get('population');
  if (population === '') {
    out.population = 0;
    warnings.push({ feature, code: 'missing-field', message: '未填人口，按 0 计' });
  } else {
    const n = Number(population.replace(/[,，\s]/g, ''));
    if (Number.isInteger(n) && n >= 0) out.population = n;
    else errors.push({ feature, code: 'bad-field', message: `人口「${population}」不是非负整数` });
  }
  const town = gazetteer.towns.find((t) => t.name === out.townName);
  if (out.townName !== '' && !town) errors.push({ feature, code: 'unknown-town', message: `乡镇「${String(out.townName)}」不在本县乡镇名录中` });
  if (out.townCode === '' && town) out.townCode = town.code;
  const village = gazetteer.villages.find((v) => v.name === out.villageName && v.townName === out.townName);
  if (out.villageCode === '' && village) out.villageCode = village.code;
  const checked = GridProps.safeParse(out);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = String(issue.path[0] ?? '');
      // Missing required fields and a bad population are already said.
      if (errors.some((e) => e.message.includes(GRID_FIELDS.find((s) => s.field === field)?.label ?? '\u0000'))) continue;
      const label = GRID_FIELDS.find((s) => s.field === field)?.label ?? field;
      errors.push({ feature, code: 'bad-field', message: field === 'id' ? `网格编号「${String(out.id)}」只能含字母、数字和 . _ : -` : `「${label}」有误：${issue.message}` });
    }
  }
  return { props: checked.success && errors.length === 0 ? checked.data : null, errors, warnings };
}
