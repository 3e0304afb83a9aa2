// Road imports in two steps, as grid imports are. Upload: the file is read (OSM PBF or XML,
// GeoJSON, zipped Shapefile), its roads kept or dropped, cut to the county's box plus the
// margin, built into the routing graph and reported on; the report, the roads (when they
// could be committed) and the preview map are kept as a pending import in the store's
// documents. Commit: the road set becomes the committed one in one atomic step, and every
// process swaps its router when the store tells it (plugins/road-layer.ts). An import is
// committed or cancelled once only; one left pending for PENDING_TTL_MS expires.
import { randomUUID } from 'node:crypto';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { buildRoadLayer, type RoadLayers } from '../county/road-layer.ts';
import { buildRoadSet, grownBbox } from '../imports/roads/build-road-set.ts';
import { readRoadFile } from '../imports/roads/read-road-file.ts';
import type { SpeedTable } from '../routing/road-speeds.ts';
import { RoadImportReport, type ImportCrs } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import type { Outcome } from '../schema/outcome.ts';
import { EXPIRED, isExpired } from './pending-imports.ts';

const REPORT = 'road-import';
/** The roads of a pending import, kept apart from its report (which every listing reads). */
const ROADS = 'road-import-roads';
const PREVIEW = 'road-import-preview';

export interface RoadImportsOptions {
  outline: Feature<Polygon | MultiPolygon>;
  speeds: SpeedTable;
  marginKm: number;
}

const outlinePositions = (outline: Feature<Polygon | MultiPolygon>) =>
  (outline.geometry.type === 'Polygon' ? [outline.geometry.coordinates] : outline.geometry.coordinates).flat(2);

/** Whether the report lets the import be committed: no file errors and some road; warnings only when confirmed. */
export function roadCommitBlock(report: Pick<RoadImportReport, 'fileErrors' | 'warnings' | 'summary'>, confirmWarnings: boolean): string | null {
  if (report.fileErrors.length > 0) return `文件有错误，请修正后重新上传：${report.fileErrors.join('；')}`;
  if (report.summary.kept === 0) return '文件中没有可通行的道路，不能提交 (no drivable road in the area)';
  if (report.warnings.length > 0 && !confirmWarnings) return `有 ${report.warnings.length} 条警告：确认后可提交（confirmWarnings=true）`;
  return null;
}

export class RoadImports {
  constructor(
    private readonly store: LiveStore,
    private readonly layers: RoadLayers,
    private readonly clock: () => number,
    private readonly options: RoadImportsOptions,
  ) {}

  private async save(report: RoadImportReport): Promise<void> {
    await this.store.putDocument(REPORT, report.id, JSON.stringify(report));
  }

  async get(id: string): Promise<RoadImportReport | undefined> {
    const json = await this.store.getDocument(REPORT, id);
    return json === undefined ? undefined : RoadImportReport.parse(JSON.parse(json));
  }

  async preview(id: string): Promise<string | undefined> {
    const report = await this.get(id);
    if (report?.status !== 'pending' || isExpired(report, this.clock())) return undefined;
    return (await this.store.getDocument(PREVIEW, id)) || undefined;
  }

  private async expire(report: RoadImportReport): Promise<void> {
    if (!(await this.store.claimOnce(`road-import:${report.id}`))) return;
    await this.save({ ...report, status: 'cancelled', fileErrors: [...report.fileErrors, EXPIRED] });
    await this.forget(report.id);
  }

  private async sweep(): Promise<void> {
    for (const { json } of await this.store.getDocuments(REPORT)) {
      let report: RoadImportReport;
      try {
        report = RoadImportReport.parse(JSON.parse(json));
      } catch {
        continue;
      }
      if (isExpired(report, this.clock())) await this.expire(report);
    }
  }

  /** Reads and checks a file, keeps it pending and answers its report; `onProgress` hears how far reading is (0–1). */
  async upload(
    bytes: Uint8Array,
    options: { crs: ImportCrs; fileName?: string; marginKm?: number },
    by: string,
    onProgress?: (done: number) => void,
  ): Promise<Outcome<RoadImportReport>> {
    await this.sweep();
    const marginKm = options.marginKm ?? this.options.marginKm;
    const area = grownBbox(outlinePositions(this.options.outline), marginKm);
    const started = performance.now();
    const read = await readRoadFile(bytes, {
      pause: (done) => {
        onProgress?.(0.8 * done);
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    const readMs = Math.round(performance.now() - started);
    const base = {
      id: `RDS-${randomUUID().slice(0, 8)}`,
      crs: options.crs,
      fileName: options.fileName ?? null,
      status: 'pending' as const,
      createdAt: this.clock(),
      createdBy: by,
      baseVersion: await this.committedVersion(),
      area: { bbox: area, marginKm },
      committed: null,
    };
    if (!read.ok) {
      const report: RoadImportReport = {
        ...base,
        format: read.format,
        fileErrors: [read.message],
        warnings: [],
        summary: { read: 0, kept: 0, dropped: 0, km: 0, oneWayKm: 0, vertices: 0, edges: 0 },
        dropped: [],
        classes: [],
        unknownClasses: [],
        components: { count: 0, largestKm: 0, largestShare: 0, islands: [] },
        timings: { readMs, checkMs: 0 },
      };
      await this.save(report);
      return { ok: true, value: report };
    }
    const checkStarted = performance.now();
    const osm = read.format === 'osm-pbf' || read.format === 'osm-xml';
    const { roads, network: _, preview, ...built } = buildRoadSet({ roads: read.roads, osm, crs: options.crs, area, speeds: this.options.speeds });
    onProgress?.(1);
    const fileErrors = read.roads.length === 0 ? ['文件中没有要素 (no features)'] : [];
    if (osm && options.crs !== 'wgs84') built.warnings.push('OpenStreetMap 数据总是 WGS-84，已忽略所选坐标系 (OSM data is WGS-84)');
    const report: RoadImportReport = { ...base, format: read.format, fileErrors, ...built, timings: { readMs, checkMs: Math.round(performance.now() - checkStarted) } };
    if (roadCommitBlock(report, true) === null) await this.store.putDocument(ROADS, report.id, JSON.stringify(roads));
    await this.store.putDocument(PREVIEW, report.id, JSON.stringify(preview));
    await this.save(report);
    return { ok: true, value: report };
  }

  async commit(id: string, confirmWarnings: boolean, by: string): Promise<Outcome<RoadImportReport>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending') return { ok: false, error: 'conflict', message: `导入 ${id} 已${report.status === 'committed' ? '提交' : '取消'} (already ${report.status})` };
    if (isExpired(report, this.clock())) {
      await this.expire(report);
      return { ok: false, error: 'conflict', message: `导入 ${id} ${EXPIRED}` };
    }
    const blocked = roadCommitBlock(report, confirmWarnings);
    if (blocked) return { ok: false, error: 'conflict', message: blocked };
    if (report.baseVersion !== null && report.baseVersion !== (await this.committedVersion())) {
      return { ok: false, error: 'conflict', message: '路网已被另一次导入更换：请重新上传检查 (the roads changed since this file was checked)' };
    }
    const roadsJson = await this.store.getDocument(ROADS, id);
    if (!roadsJson) return { ok: false, error: 'conflict', message: `导入 ${id} 的道路数据已不在，请重新上传` };
    if (!(await this.store.claimOnce(`road-import:${id}`))) return { ok: false, error: 'conflict', message: `导入 ${id} 正在提交或已处理 (already being handled)` };
    const now = this.clock();
    try {
      const layer = buildRoadLayer(JSON.parse(roadsJson) as Parameters<typeof buildRoadLayer>[0], roadsJson);
      await this.store.commitRoadSet({ version: layer.version, roadsJson, committedAt: now, by });
      // This process switches now (in turn with the loads the store's notices start); the others when told.
      await this.layers.follow(this.store, layer).catch(() => null);
      const done: RoadImportReport = { ...report, status: 'committed', committed: { at: now, by, version: layer.version } };
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

  /** The roads committed now, in any process: the store's set, or else the county's file. */
  private async committedVersion(): Promise<string> {
    return (await this.store.roadSetVersion()) ?? this.layers.current.version;
  }

  private async forget(id: string): Promise<void> {
    await this.store.putDocument(ROADS, id, '');
    await this.store.putDocument(PREVIEW, id, '');
  }

  async cancel(id: string): Promise<Outcome<RoadImportReport>> {
    const report = await this.get(id);
    if (!report) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (report.status !== 'pending' || !(await this.store.claimOnce(`road-import:${id}`))) {
      return { ok: false, error: 'conflict', message: `导入 ${id} 已处理，不能取消 (already ${report.status})` };
    }
    const cancelled: RoadImportReport = { ...report, status: 'cancelled' };
    await this.save(cancelled);
    await this.forget(id);
    return { ok: true, value: cancelled };
  }
}
