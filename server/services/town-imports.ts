// Town and village imports (乡镇村) in two steps, as grid and road imports are. Upload: the CSV
// or XLSX is read (imports/read-table.ts) and checked (imports/towns/validate-towns.ts) against
// the county's code and outline, the grids on the board and the records there now; the report,
// the set it would commit and the preview map's centres are kept as a pending import in the
// store's documents. Commit: the set becomes the committed one in one atomic step, and every
// process swaps its records when the store tells it (plugins/town-layer.ts): the gazetteer,
// the map's town labels and the grids' names in reports follow. Committed or cancelled once;
// one left pending for PENDING_TTL_MS expires.
import { randomUUID } from 'node:crypto';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { GridLayers } from '../county/grid-layer.ts';
import { buildTownLayer, type TownLayers } from '../county/town-layer.ts';
import { FileTooLargeError, looksLikeXlsx, readTable } from '../imports/read-table.ts';
import { validateTowns } from '../imports/towns/validate-towns.ts';
import { TownImportReport, type ImportCrs, type TownSet } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import type { ChangeRefusal, Outcome } from '../schema/outcome.ts';
import { EXPIRED, isExpired } from './pending-imports.ts';

const REPORT = 'town-import';
/** The set of a pending import, kept apart from its report (which every listing reads). */
const SET = 'town-import-set';
const PREVIEW = 'town-import-preview';

export interface TownImportsOptions {
  outline: Feature<Polygon | MultiPolygon>;
  countyCode: string;
}

/** Whether the report lets the import be committed: no file errors; rejected rows only when left out; warnings only when confirmed. */
export function townCommitBlock(report: Pick<TownImportReport, 'fileErrors' | 'warnings' | 'summary'>, confirmWarnings: boolean, skipInvalid: boolean): string | null {
  if (report.fileErrors.length > 0) return `文件有错误，请修正后重新上传：${report.fileErrors.join('；')}`;
  if (report.summary.rejected > 0 && !skipInvalid) return `有 ${report.summary.rejected} 行有错误：修正后重新上传，或只提交无误的行（skipInvalid=true）`;
  if (report.warnings.length > 0 && !confirmWarnings) return `有 ${report.warnings.length} 条警告：确认后可提交（confirmWarnings=true）`;
  return null;
}

export class TownImports {
  constructor(
    private readonly store: LiveStore,
    private readonly layers: TownLayers,
    private readonly grids: GridLayers,
    private readonly clock: () => number,
    private readonly options: TownImportsOptions,
  ) {}

  private async save(report: TownImportReport): Promise<void> {
    await this.store.putDocument(REPORT, report.id, JSON.stringify(report));
  }

  async get(id: string): Promise<TownImportReport | undefined> {
    const json = await this.store.getDocument(REPORT, id);
    return json === undefined ? undefined : TownImportReport.parse(JSON.parse(json));
  }

  async preview(id: string): Promise<string | undefined> {
    const report = await this.get(id);
    if (report?.status !== 'pending' || isExpired(report, this.clock())) return undefined;
    return (await this.store.getDocument(PREVIEW, id)) || undefined;
  }

  private async expire(report: TownImportReport): Promise<void> {
    if (!(await this.store.claimOnce(`town-import:${report.id}`))) return;
    await this.save({ ...report, status: 'cancelled', fileErrors: [...report.fileErrors, EXPIRED] });
    await this.forget(report.id);
  }

  private async sweep(): Promise<void> {
    for (const { json } of await this.store.getDocuments(REPORT)) {
      let report: TownImportReport;
      try {
        report = TownImportReport.parse(JSON.parse(json));
      } catch {
        continue;
      }
      if (isExpired(report, this.clock())) await this.expire(report);
    }
  }

  /** Reads and checks a file, keeps it pending and answers its report. A workbook that unpacks too large is refused (too-large). */
  async upload(bytes: Uint8Array, options: { crs: ImportCrs; fileName?: string }, by: string): Promise<Outcome<TownImportReport, ChangeRefusal | 'too-large'>> {
    await this.sweep();
    const format = looksLikeXlsx(bytes) ? 'xlsx' : 'csv';
    const started = performance.now();
    const base = {
      id: `TWN-${randomUUID().slice(0, 8)}`,
      crs: options.crs,
      fileName: options.fileName ?? null,
      status: 'pending' as const,
      createdAt: this.clock(),
      createdBy: by,
      baseVersion: await this.committedVersion(),
      committed: null,
    };
    let table;
    try {
      table = await readTable(bytes, format);
    } catch (err) {
      if (err instanceof FileTooLargeError) return { ok: false, error: 'too-large', message: err.message };
      const report: TownImportReport = {
        ...base,
        format: null,
        fileErrors: [err instanceof Error ? err.message : String(err)],
        columns: [],
        rows: [],
        summary: { rows: 0, kept: 0, rejected: 0, towns: 0, villages: 0, centresGiven: 0, centresFromGrids: 0, flagged: 0, keepsTowns: true, keepsVillages: true },
        rejected: [],
        unmatched: { townsWithoutRecord: [], villagesWithoutRecord: [], townsWithoutGrids: [], villagesWithoutGrids: [] },
        warnings: [],
        timings: { readMs: Math.round(performance.now() - started), checkMs: 0 },
      };
      await this.save(report);
      return { ok: true, value: report };
    }
    const readMs = Math.round(performance.now() - started);
    const checkStarted = performance.now();
    const grids = this.grids.current;
    const current = this.layers.current;
    const { set, preview, ...checked } = validateTowns({
      table,
      crs: options.crs,
      countyCode: this.options.countyCode,
      outline: this.options.outline,
      current: { towns: current.towns, villages: current.villages },
      grids: grids.props,
      gridPoint: grids.gridPoint,
      locate: (lng, lat) => grids.locator.locate(lng, lat),
    });
    const report: TownImportReport = { ...base, format, ...checked, timings: { readMs, checkMs: Math.round(performance.now() - checkStarted) } };
    if (set) await this.store.putDocument(SET, report.id, JSON.stringify(set));
    await this.store.putDocument(PREVIEW, report.id, JSON.stringify(preview));
    await this.save(report);
    return { ok: true, value: report };
  }

  async commit(id: string, { confirmWarnings, skipInvalid }: { confirmWarnings: boolean; skipInvalid: boolean }, by: string): Promise<Outcome<TownImportReport>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending') return { ok: false, error: 'conflict', message: `导入 ${id} 已${report.status === 'committed' ? '提交' : '取消'} (already ${report.status})` };
    if (isExpired(report, this.clock())) {
      await this.expire(report);
      return { ok: false, error: 'conflict', message: `导入 ${id} ${EXPIRED}` };
    }
    const blocked = townCommitBlock(report, confirmWarnings, skipInvalid);
    if (blocked) return { ok: false, error: 'conflict', message: blocked };
    if (report.baseVersion !== (await this.committedVersion())) {
      return { ok: false, error: 'conflict', message: '乡镇村名录已被另一次导入更换：请重新上传检查 (the towns changed since this file was checked)' };
    }
    const setJson = await this.store.getDocument(SET, id);
    if (!setJson) return { ok: false, error: 'conflict', message: `导入 ${id} 的乡镇村数据已不在，请重新上传` };
    if (!(await this.store.claimOnce(`town-import:${id}`))) return { ok: false, error: 'conflict', message: `导入 ${id} 正在提交或已处理 (already being handled)` };
    const now = this.clock();
    try {
      const set = JSON.parse(setJson) as TownSet;
      const layer = buildTownLayer(set, setJson);
      await this.store.commitTownSet({ version: layer.version, setJson, committedAt: now, by });
      // This process switches now (in turn with the loads the store's notices start); the others when told.
      await this.layers.follow(this.store, layer).catch(() => null);
      const done: TownImportReport = { ...report, status: 'committed', committed: { at: now, by, version: layer.version, towns: set.towns.length, villages: set.villages.length } };
      await this.save(done);
      await this.forget(id);
      return { ok: true, value: done };
    } catch (err) {
      const message = `提交失败，请重新上传：${err instanceof Error ? err.message : String(err)}`;
      await this.save({ ...report, status: 'cancelled', fileErrors: [...report.fileErrors, message] });
      await this.forget(id);
      return { ok: false, error: 'conflict', message };
    }
  }

  /** The records committed now, in any process: the store's set, or else the county's towns.json. */
  private async committedVersion(): Promise<string> {
    return (await this.store.townSetVersion()) ?? this.layers.current.version;
  }

  private async forget(id: string): Promise<void> {
    await this.store.putDocument(SET, id, '');
    await this.store.putDocument(PREVIEW, id, '');
  }

  async cancel(id: string): Promise<Outcome<TownImportReport>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending' || !(await this.store.claimOnce(`town-import:${id}`))) {
      return { ok: false, error: 'conflict', message: `导入 ${id} 已处理，不能取消 (already ${report.status})` };
    }
    const cancelled: TownImportReport = { ...report, status: 'cancelled' };
    await this.save(cancelled);
    await this.forget(id);
    return { ok: true, value: cancelled };
  }
}
