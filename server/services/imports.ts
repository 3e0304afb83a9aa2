// Site imports in two steps. Upload: the file is read, validated against the county and
// the store, and kept as a pending import (a document) with its report. Commit: every
// good row is applied in one atomic write, so live screens get the whole import in one
// delta and nobody sees half of it. An import is committed or cancelled once only; one
// left pending expires (pending-imports.ts).
import { randomUUID } from 'node:crypto';
import { buildEntity, SCHEMAS } from '../imports/entity.ts';
import { FileTooLargeError, readTable } from '../imports/read-table.ts';
import { validateRows } from '../imports/validate-rows.ts';
import { PendingImport, type Change, type CollectionName, type GridProps, type ImportCrs, type ImportLayer, type ImportReport } from '../schema/index.ts';
import type { Locator } from '../geo/locator.ts';
import type { LiveStore } from '../store/store.ts';
import type { ChangeOutcome, ChangeRefusal, Outcome } from '../schema/outcome.ts';
import { EXPIRED, isExpired } from './pending-imports.ts';
import { bindImported } from '../terminals/import-bindings.ts';
import { jt808Key, type StoredVehicleTerminals, type TerminalKind } from '../schema/terminals.ts';

/** Who holds each identity now (a vehicle import's rows are checked against it). */
function holders(vehicles: Iterable<StoredVehicleTerminals>): (kind: TerminalKind, identity: string) => string | undefined {
  const held = new Map<string, string>();
  for (const v of vehicles) {
    if (v.jt808) held.set(`jt808:${jt808Key(v.jt808.phone)}`, v.ambulanceId);
    if (v.osmand) held.set(`osmand:${v.osmand.deviceId}`, v.ambulanceId);
  }
  return (kind, identity) => held.get(`${kind}:${kind === 'jt808' ? jt808Key(identity) : identity}`);
}

const KIND = 'import';

export class Imports {
  constructor(
    private readonly store: LiveStore,
    private readonly locator: Locator<GridProps>,
    private readonly clock: () => number,
  ) {}

  private async load(id: string): Promise<PendingImport | undefined> {
    const json = await this.store.getDocument(KIND, id);
    return json === undefined ? undefined : PendingImport.parse(JSON.parse(json));
  }

  private async save(pending: PendingImport): Promise<void> {
    await this.store.putDocument(KIND, pending.report.id, JSON.stringify(pending));
  }

  async get(id: string): Promise<ImportReport | undefined> {
    return (await this.load(id))?.report;
  }

  /** Closes an expired import (once, as a cancel would): its rows are dropped, its report stays, saying so. */
  private async expire(report: ImportReport): Promise<void> {
    if (!(await this.store.claimOnce(`import:${report.id}`))) return;
    await this.save({ report: { ...report, status: 'cancelled', fileErrors: [...report.fileErrors, EXPIRED] }, good: [] });
  }

  /** Expires every import left pending too long (at each upload: what is kept stays bounded). */
  private async sweep(): Promise<void> {
    const now = this.clock();
    for (const { json } of await this.store.getDocuments(KIND)) {
      const pending = PendingImport.safeParse(JSON.parse(json));
      if (pending.success && isExpired(pending.data.report, now)) await this.expire(pending.data.report);
    }
  }

  /** Reads and validates a file, keeps it pending and answers its report. */
  async upload(bytes: Uint8Array, options: { layer: ImportLayer; crs: ImportCrs; fileName?: string }, by: string): Promise<Outcome<ImportReport, ChangeRefusal | 'too-large'>> {
    await this.sweep();
    let table;
    try {
      table = await readTable(bytes);
    } catch (err) {
      if (err instanceof FileTooLargeError) return { ok: false, error: 'too-large', message: err.message };
      return { ok: false, error: 'invalid', message: err instanceof Error ? err.message : '无法读取文件' };
    }
    const now = this.clock();
    const existing = (await this.store.snapshot()).collections[options.layer];
    const boundTo = options.layer === 'ambulances' ? holders((await this.store.terminals.bindingSet()).vehicles.values()) : undefined;
    const validated = validateRows({ ...options, table, existing, gridOf: (lng, lat) => this.locator.locate(lng, lat)?.id ?? null, now, ...(boundTo ? { boundTo } : {}) });
    const { good, ...checked } = validated;
    const report: ImportReport = {
      id: `IMP-${randomUUID().slice(0, 8)}`,
      layer: options.layer,
      crs: options.crs,
      fileName: options.fileName ?? null,
      status: 'pending',
      createdAt: now,
      createdBy: by,
      ...checked,
      committed: null,
    };
    await this.save({ report, good });
    return { ok: true, value: report };
  }

  /** Applies the good rows in one delta; refused while the report has errors unless `skipInvalid`. */
  async commit(id: string, skipInvalid: boolean, by: string): Promise<ChangeOutcome<ImportReport>> {
    const pending = await this.load(id);
    if (!pending) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    const { report, good } = pending;
    if (report.status !== 'pending') return { ok: false, error: 'conflict', message: `导入 ${id} 已${report.status === 'committed' ? '提交' : '取消'} (already ${report.status})` };
    if (isExpired(report, this.clock())) {
      await this.expire(report);
      return { ok: false, error: 'conflict', message: `导入 ${id} ${EXPIRED}` };
    }
    if (report.fileErrors.length > 0) return { ok: false, error: 'conflict', message: `文件有错误，请修正后重新上传：${report.fileErrors.join('；')}` };
    if (report.summary.withErrors > 0 && !skipInvalid) {
      return {
        ok: false,
        error: 'conflict',
        message: `有 ${report.summary.withErrors} 行存在错误：请修正后重新上传，或选择跳过错误行（skipInvalid=true）只导入 ${report.summary.good} 行`,
      };
    }
    if (good.length === 0) return { ok: false, error: 'conflict', message: '没有可导入的行 (nothing to import)' };
    // One commit or cancel per import, whichever comes first, in any process.
    if (!(await this.store.claimOnce(`import:${id}`))) return { ok: false, error: 'conflict', message: `导入 ${id} 正在提交或已处理 (already being handled)` };
    const now = this.clock();
    const collection: CollectionName = report.layer;
    let refused: string | null = null;
    let created = 0;
    try {
      // Atomic over every row's entity: a live change to one of them meanwhile makes it recompute.
      const delta = await this.store.updateMany(
        good.map((f) => ({ collection, id: f.id })),
        (current) => {
          refused = null;
          created = 0;
          const changes: Change[] = [];
          good.forEach((fields, i) => {
            const checked = SCHEMAS[report.layer].safeParse(buildEntity(report.layer, fields, current[i], now));
            if (!checked.success) refused ??= `${fields.id}：${checked.error.issues[0]?.message ?? 'invalid'}`;
            if (current[i] === undefined) created++;
            changes.push({ op: 'upsert', collection, entity: checked.data } as Change);
          });
          return refused ? null : changes;
        },
        now,
      );
      if (refused || !delta) throw new Error(refused ?? 'no changes');
      // The vehicles are on the board: their terminals bound next (a store of their own, so a step of its own).
      const terminals = report.layer === 'ambulances' ? await bindImported(this.store.terminals, good, by, now) : undefined;
      const done: ImportReport = {
        ...report,
        status: 'committed',
        committed: { at: now, by, seq: delta.seq, created, updated: good.length - created, skipped: report.summary.withErrors, ...(terminals ? { terminals } : {}) },
      };
      await this.save({ report: done, good: [] });
      return { ok: true, value: done, seq: delta.seq };
    } catch (err) {
      // The claim is spent: this import is closed, and the file must be uploaded again.
      const message = `提交失败，请重新上传：${err instanceof Error ? err.message : String(err)}`;
      await this.save({ report: { ...report, status: 'cancelled', fileErrors: [...report.fileErrors, message] }, good: [] });
      return { ok: false, error: 'conflict', message };
    }
  }

  async cancel(id: string): Promise<Outcome<ImportReport>> {
    const pending = await this.load(id);
    if (!pending) return { ok: false, error: 'not-found', message: `导入 ${id} 不存在 (no such import)` };
    if (pending.report.status !== 'pending' || !(await this.store.claimOnce(`import:${id}`))) {
      return { ok: false, error: 'conflict', message: `导入 ${id} 已处理，不能取消 (already ${pending.report.status})` };
    }
    const report: ImportReport = { ...pending.report, status: 'cancelled' };
    await this.save({ report, good: [] });
    return { ok: true, value: report };
  }
}
