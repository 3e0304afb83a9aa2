// The validation report of a grid import, before anything is committed: each feature's
// fields (matched by name, Chinese or English), its geometry converted to WGS-84 (gcoord)
// and checked, ids checked for duplicates, then overlaps, gaps and the county line over
// the whole set. Pure: the county's outline, gazetteer and current grid ids come in as
// arguments; `pause` lets the caller yield (and report progress) during the long part.
import gcoord from 'gcoord';
import type { Feature, Polygon, MultiPolygon } from 'geojson';
import type { GridCollection, GridImportReport, GridPreview, GridProblem, GridProps, ImportCrs } from '../../schema/index.ts';
import { checkCoverage, GAP_WARNING_M2, mapPositions, shapeProblem, structureProblem, type GridPolygon } from './grid-geometry.ts';
import { GRID_FIELDS, matchGridFields, readGridProps, type Gazetteer } from './grid-fields.ts';
import type { GridFile } from './read-grid-file.ts';
import { buildPreview, type PreviewInput } from './preview.ts';

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A position in the file's system → WGS-84, rounded to 7 decimals (about a centimetre). */
function toWgs84(crs: ImportCrs): (p: number[]) => [number, number] {
  const r = (x: number) => Math.round(x * 1e7) / 1e7;
  return ([x = 0, y = 0]) => {
    const [lng, lat] = crs === 'wgs84' ? [x, y] : gcoord.transform([x, y] as [number, number], CRS[crs], gcoord.WGS84);
    return [r(lng), r(lat)];
  };
}

export interface ValidateGridsInput {
  file: GridFile;
  crs: ImportCrs;
  outline: Feature<Polygon | MultiPolygon>;
  gazetteer: Gazetteer;
  /** Ids of the grids on the board now. */
  currentIds: readonly string[];
  pause?: (done: number) => Promise<void>;
}

export type ValidatedGrids = Pick<GridImportReport, 'fields' | 'fileErrors' | 'errors' | 'warnings' | 'overlaps' | 'gaps' | 'summary' | 'addedIds' | 'removedIds'> & {
  /** The grids as they would be committed (every feature that passed), in file order. */
  grids: GridCollection;
  /** The set drawn for the preview map, problems marked (GET …/preview). */
  preview: GridPreview;
};

const byFeature = (a: GridProblem, b: GridProblem) => a.feature - b.feature;

export async function validateGrids({ file, crs, outline, gazetteer, currentIds, pause = async () => {} }: ValidateGridsInput): Promise<ValidatedGrids> {
  const fileErrors: string[] = [];
  const errors: GridProblem[] = [];
  const warnings: GridProblem[] = [];
  const names = [...new Set(file.features.flatMap((f) => Object.keys(f.properties ?? {})))];
  const byField = matchGridFields(names);
  const used = new Map([...byField].map(([field, name]) => [name, field]));
  const fields = names.map((name) => ({ name, field: used.get(name) ?? null }));
  for (const spec of GRID_FIELDS) {
    if (spec.required && !byField.has(spec.field)) fileErrors.push(`缺少必填属性「${spec.label}」(${spec.names.slice(0, 3).join(' / ')})`);
  }
  if (file.features.length === 0) fileErrors.push('文件中没有要素 (no features)');

  const convert = toWgs84(crs);
  const read: { feature: number; props: GridProps | null; polygon: GridPolygon | null }[] = [];
  const featuresById = new Map<string, number[]>();
  const drawn: PreviewInput['drawn'] = [];
  const text = (f: (typeof file.features)[number], field: 'id' | 'name') => {
    const value = byField.has(field) ? String(f.properties?.[byField.get(field)!] ?? '').trim() : '';
    return value || null;
  };
  file.features.forEach((f, i) => {
    const feature = i + 1;
    const fieldsRead = readGridProps(feature, (f.properties ?? null) as Record<string, unknown> | null, byField, gazetteer);
    // Missing columns are said once for the file, not for every feature.
    errors.push(...fieldsRead.errors.filter((e) => !(e.code === 'missing-field' && fileErrors.length > 0)));
    warnings.push(...fieldsRead.warnings);
    const rawId = text(f, 'id');
    if (rawId) featuresById.set(rawId, [...(featuresById.get(rawId) ?? []), feature]);
    const structure = structureProblem(f.geometry);
    let polygon: GridPolygon | null = null;
    if (structure) errors.push({ feature, code: f.geometry ? 'bad-geometry' : 'no-geometry', message: structure });
    else {
      polygon = { type: 'Feature', properties: {}, geometry: mapPositions(f.geometry as Polygon | MultiPolygon, convert) };
      drawn.push({ feature, id: rawId, name: text(f, 'name'), polygon });
      const shape = shapeProblem(polygon);
      if (shape) {
        errors.push({ feature, ...shape });
        polygon = null;
      }
    }
    read.push({ feature, props: fieldsRead.props, polygon });
  });
  for (const [id, features] of featuresById) {
    if (features.length < 2) continue;
    for (const feature of features) errors.push({ feature, code: 'duplicate-id', message: `网格编号「${id}」重复（第 ${features.join('、')} 个要素）` });
  }
  await pause(0.1);

  const shaped = read.flatMap((r) => (r.polygon ? [{ feature: r.feature, id: r.props?.id ?? null, polygon: r.polygon }] : []));
  let coverage: Awaited<ReturnType<typeof checkCoverage>> | null = null;
  try {
    coverage = await checkCoverage({ grids: shaped, outline: outline as GridPolygon, pause: (d) => pause(0.1 + 0.9 * d) });
  } catch (err) {
    fileErrors.push(`无法计算重叠与缝隙：${err instanceof Error ? err.message : String(err)}`);
  }
  if (coverage) {
    errors.push(...coverage.errors);
    warnings.push(...coverage.warnings);
  }
  const shapedGaps = coverage?.gaps ?? { totalM2: 0, pieces: 0, largest: [] };
  const overlaps = coverage?.overlaps ?? [];
  // The report keeps the numbers; the polygons go to the preview only.
  const gaps = { ...shapedGaps, largest: shapedGaps.largest.map(({ shape: _, ...g }) => g) };
  const blockingGaps = gaps.largest.filter((g) => g.blocking);
  if (blockingGaps.length > 0)
    fileErrors.push(
      `网格之间或网格与县界之间有 ${blockingGaps.length} 处大于 1 公顷的缝隙（最大 ${Math.round(blockingGaps[0]!.areaM2).toLocaleString('zh-CN')} m²）：其中的位置不属于任何网格`,
    );

  errors.sort(byFeature);
  warnings.sort(byFeature);
  const bad = new Set(errors.map((e) => e.feature));
  const warned = new Set(warnings.map((w) => w.feature));
  const good = read.filter((r) => !bad.has(r.feature) && r.props && r.polygon);
  const grids: GridCollection = {
    type: 'FeatureCollection',
    features: good.map((r) => ({ type: 'Feature', properties: r.props!, geometry: r.polygon!.geometry })),
  };
  const current = new Set(currentIds);
  const incoming = new Set(read.flatMap((r) => (r.props ? [r.props.id] : [])));
  const added = [...incoming].filter((id) => !current.has(id));
  const removed = currentIds.filter((id) => !incoming.has(id));
  return {
    fields,
    fileErrors,
    errors,
    warnings,
    overlaps: overlaps.map(({ shape: _, ...o }) => o),
    gaps,
    grids,
    preview: buildPreview({ drawn, errors, warnings, overlaps, gaps: shapedGaps.largest }),
    addedIds: added.slice(0, 50),
    removedIds: removed.slice(0, 50),
    summary: {
      features: file.features.length,
      good: good.length,
      withErrors: bad.size,
      withWarnings: [...warned].filter((f) => !bad.has(f)).length,
      added: added.length,
      removed: removed.length,
      kept: incoming.size - added.length,
      overlapM2: coverage?.overlapM2 ?? 0,
      population: good.reduce((s, r) => s + r.props!.population, 0),
    },
  };
}

/** Whether the report lets the import be committed: no errors; warnings only when confirmed. */
export function commitBlock(report: Pick<GridImportReport, 'fileErrors' | 'errors' | 'warnings' | 'gaps'>, confirmWarnings: boolean): string | null {
  if (report.fileErrors.length > 0) return `文件有错误，请修正后重新上传：${report.fileErrors.join('；')}`;
  if (report.errors.length > 0) return `有 ${new Set(report.errors.map((e) => e.feature)).size} 个要素存在错误，请修正后重新上传`;
  const gapWarnings = report.gaps.largest.filter((g) => g.areaM2 >= GAP_WARNING_M2).length;
  if ((report.warnings.length > 0 || gapWarnings > 0) && !confirmWarnings) {
    return `有 ${report.warnings.length + gapWarnings} 条警告：确认后可提交（confirmWarnings=true）`;
  }
  return null;
}
