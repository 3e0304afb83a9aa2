// Grid imports in two steps. Upload: the file is read (GeoJSON, zipped Shapefile or KML),
// converted to WGS-84, validated against the county, and kept as a pending import (its
// report and, when it can be committed, its grids) in the store's documents. Commit: the
// grid set and the live changes it brings (statuses of new and removed grids, entities
// stamped with their new grid) are written in one atomic step, one delta; every process
// swaps to the new grids at once when the store tells it (plugins/grid-layer.ts), and tells
// its live screens to reload them. An import is committed or cancelled once only; one left
// pending for PENDING_TTL_MS expires (cancelled, its grids and preview dropped), so
// abandoned uploads do not pile up in the store.
import { randomUUID } from 'node:crypto';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { buildGridLayer, type GridLayers } from '../county/grid-layer.ts';
import { gridSetChanges } from '../imports/grids/live-changes.ts';
import { readGridFile } from '../imports/grids/read-grid-file.ts';
import { commitBlock, validateGrids } from '../imports/grids/validate-grids.ts';
import type { Gazetteer } from '../imports/grids/grid-fields.ts';
import { GridImportReport, type GridCollection, type ImportCrs } from '../schema/index.ts';
import type { AnyEntity, LiveStore } from '../store/store.ts';
import type { ChangeRefusal, Outcome } from '../schema/outcome.ts';
import { EXPIRED, isExpired } from './pending-imports.ts';

const REPORT = 'grid-import';
/** The grids of a pending import, kept apart from its report (which every listing reads). */
const GRIDS = 'grid-import-grids';
/** Its preview map (GeoJSON), likewise; emptied once handled. */
const PREVIEW = 'grid-import-preview';
export { PENDING_TTL_MS } from './pending-imports.ts';

export interface GridImportsOptions {
  outline: Feature<Polygon | MultiPolygon>;
  towns: Gazetteer['towns'];
}

export class GridImports {
  constructor(
    private readonly store: LiveStore,
    private readonly layers: GridLayers,
    private readonly clock: () => number,
    private readonly options: GridImportsOptions,
  ) {}

  private async save(report: GridImportReport): Promise<void> {
    await this.store.putDocument(REPORT, report.id, JSON.stringify(report));
  }

  async get(id: string): Promise<GridImportReport | undefined> {
    const json = await this.store.getDocument(REPORT, id);
    return json === undefined ? undefined : GridImportReport.parse(JSON.parse(json));
  }

  /** A pending import's preview map as GeoJSON text; undefined once it is committed or cancelled (or was never read). */
  async preview(id: string): Promise<string | undefined> {
    const report = await this.get(id);
    if (report?.status !== 'pending' || this.expired(report)) return undefined;
    return (await this.store.getDocument(PREVIEW, id)) || undefined;
  }

  private expired(report: GridImportReport): boolean {
    return isExpired(report, this.clock());
  }

  /** Closes an expired import (once, as a cancel would): its report stays, saying so. */
  private async expire(report: GridImportReport): Promise<void> {
    if (!(await this.store.claimOnce(`grid-import:${report.id}`))) return;
    await this.save({ ...report, status: 'cancelled', fileErrors: [...report.fileErrors, EXPIRED] });
    await this.forget(report.id);
  }

  /** Expires every import left pending too long (at each upload: what is kept stays bounded). */
  private async sweep(): Promise<void> {
    for (const { json } of await this.store.getDocuments(REPORT)) {
      let report: GridImportReport;
      try {
        report = GridImportReport.parse(JSON.parse(json));
      } catch {
        continue;
      }
      if (this.expired(report)) await this.expire(report);
    }
  }

  /** The county's villages by name, as the grids on the board name them (for codes a file leaves out). */
  private gazetteer(): Gazetteer {
    const villages = new Map<string, Gazetteer['villages'][number]>();
    for (const g of this.layers.current.props) villages.set(`${g.townName}/${g.villageName}`, { code: g.villageCode, name: g.villageName, townName: g.townName });
    return { towns: this.options.towns, villages: [...villages.values()] };
  }

  /**
   * Reads and validates a file, keeps it pending and answers its report. `onProgress`
   * hears how far the check is (0–1); the check yields between its steps.
   */
  async upload(bytes: Uint8Array, options: { crs: ImportCrs; fileName?: string }, by: string, onProgress?: (done: number) => void): Promise<Outcome<GridImportReport>> {
    await this.sweep();
    const started = performance.now();
    const read = await readGridFile(bytes);
    const readMs = Math.round(performance.now() - started);
    const now = this.clock();
    const base = {
      id: `GRD-${randomUUID().slice(0, 8)}`,
      crs: options.crs,
      fileName: options.fileName ?? null,
      status: 'pending' as const,
      createdAt: now,
      createdBy: by,
      baseVersion: await this.committedVersion(),
      committed: null,
    };
    if (!read.ok) {
      const report: GridImportReport = {
        ...base,
        format: read.format,
        fileErrors: [read.message],
        fields: [],
        errors: [],
        warnings: [],
        overlaps: [],
        gaps: { totalM2: 0, pieces: 0, largest: [] },
        summary: { features: 0, good: 0, withErrors: 0, withWarnings: 0, added: 0, removed: 0, kept: 0, overlapM2: 0, population: 0 },
        addedIds: [],
        removedIds: [],
        timings: { readMs, checkMs: 0 },
      };
      await this.save(report);
      return { ok: true, value: report };
    }
    const checkStarted = performance.now();
    const { grids, preview, ...checked } = await validateGrids({
      file: read.file,
      crs: options.crs,
      outline: this.options.outline,
      gazetteer: this.gazetteer(),
      currentIds: this.layers.current.locator.ids,
      pause: (done) => {
        onProgress?.(done);
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    const report: GridImportReport = { ...base, format: read.file.format, ...checked, timings: { readMs, checkMs: Math.round(performance.now() - checkStarted) } };
    // Only a set that could be committed is kept.
    if (commitBlock(report, true) === null) await this.store.putDocument(GRIDS, report.id, JSON.stringify(grids));
    await this.store.putDocument(PREVIEW, report.id, JSON.stringify(preview));
    await this.save(report);
    return { ok: true, value: report };
  }

  /** Commits the grid set with its live changes in one step; refused while the report has errors, or warnings not confirmed. */
  async commit(id: string, confirmWarnings: boolean, by: string): Promise<Outcome<GridImportReport, ChangeRefusal, { seq?: number }>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending') return { ok: false, error: 'conflict', message: `导入 ${id} 已${report.status === 'committed' ? '提交' : '取消'} (already ${report.status})` };
    if (this.expired(report)) {
      await this.expire(report);
      return { ok: false, error: 'conflict', message: `导入 ${id} ${EXPIRED}` };
    }
    const blocked = commitBlock(report, confirmWarnings);
    if (blocked) return { ok: false, error: 'conflict', message: blocked };
    // Another import was committed since this file was checked: its added and removed grids
    // (what the admin confirmed) are against grids no longer on the board.
    if (report.baseVersion !== null && report.baseVersion !== (await this.committedVersion())) {
      return { ok: false, error: 'conflict', message: `网格已被另一次导入更换，本次检查的新增和删除已不准确：请重新上传检查 (the grids changed since this file was checked)` };
    }
    const gridsJson = await this.store.getDocument(GRIDS, id);
    if (!gridsJson) return { ok: false, error: 'conflict', message: `导入 ${id} 的网格数据已不在，请重新上传` };
    // One commit or cancel per import, whichever comes first, in any process.
    if (!(await this.store.claimOnce(`grid-import:${id}`))) return { ok: false, error: 'conflict', message: `导入 ${id} 正在提交或已处理 (already being handled)` };
    const now = this.clock();
    try {
      const layer = buildGridLayer(JSON.parse(gridsJson) as GridCollection, gridsJson);
      const locate = (lng: number, lat: number) => layer.locator.locate(lng, lat);
      let counts = { added: 0, removed: 0, restamped: 0 };
      // Computed from the live state as the store reads it, again if anything is written meanwhile.
      const delta = await this.store.commitGridSet(
        { version: layer.version, gridsJson, committedAt: now, by },
        (collections) => {
          const found = gridSetChanges(collections, layer.props, locate, now);
          counts = found.counts;
          return found.update(found.keys.map((k) => (collections[k.collection] as Record<string, AnyEntity>)[k.id]));
        },
        now,
      );
      // This process switches now, unless a later set was committed meanwhile (in turn with the
      // loads the store's notices start); the others when the store tells them.
      await this.layers.follow(this.store, layer).catch(() => null);
      const done: GridImportReport = { ...report, status: 'committed', committed: { at: now, by, seq: delta?.seq ?? null, version: layer.version, ...counts } };
      await this.save(done);
      await this.forget(id);
      return { ok: true, value: done, ...(delta ? { seq: delta.seq } : {}) };
    } catch (err) {
      // The claim is spent: this import is closed, and the file must be uploaded again.
      const message = `提交失败，请重新上传：${err instanceof Error ? err.message : String(err)}`;
      await this.save({ ...report, status: 'cancelled', fileErrors: [...report.fileErrors, message] });
      await this.forget(id);
      return { ok: false, error: 'conflict', message };
    }
  }

  /** The grids committed now, in any process: the store's set, or else the county's file. */
  private async committedVersion(): Promise<string> {
    return (await this.store.gridSetVersion()) ?? this.layers.current.version;
  }

  /** A handled import keeps its report only. */
  private async forget(id: string): Promise<void> {
    await this.store.putDocument(GRIDS, id, '');
    await this.store.putDocument(PREVIEW, id, '');
  }

  async cancel(id: string): Promise<Outcome<GridImportReport>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending' || !(await this.store.claimOnce(`grid-import:${id}`))) {
      return { ok: false, error: 'conflict', message: `导入 ${id} 已处理，不能取消 (already ${report.status})` };
    }
    const cancelled: GridImportReport = { ...report, status: 'cancelled' };
    await this.save(cancelled);
    await this.forget(id);
    return { ok: true, value: cancelled };
  }
}
