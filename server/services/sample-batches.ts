// Batches of samples and their results: a batch is sent (from a sampling point, whose
// name and grid it takes, or named by its source), the lab reports it once. Batches
// resulted over two days ago are removed (the day's report and the alerts need no more).
import { randomUUID } from 'node:crypto';
import { SampleBatch, type NewSampleBatch } from '../schema/index.ts';
import type { LiveStore } from '../store/store.ts';
import type { ChangeOutcome } from '../schema/outcome.ts';
import { patchEntity } from './live-updates.ts';

const WEEK = 7 * 86_400_000;
/** Resulted batches are kept this long. */
export const BATCH_RETENTION_MS = 2 * 86_400_000;

export class SampleBatches {
  constructor(
    private readonly store: LiveStore,
    private readonly clock: () => number,
  ) {}

  async create(input: NewSampleBatch): Promise<ChangeOutcome<SampleBatch>> {
    const now = this.clock();
    const collectedAt = input.collectedAt ?? now;
    if (collectedAt > now + 60_000) return { ok: false, error: 'invalid', message: '采集时间不能晚于当前时间 (collectedAt is in the future)' };
    if (collectedAt < now - WEEK) return { ok: false, error: 'invalid', message: '采集时间超过7天 (collectedAt is over a week ago)' };
    const point = input.samplingPointId ? await this.store.get('samplingPoints', input.samplingPointId) : undefined;
    if (input.samplingPointId && !point) return { ok: false, error: 'not-found', message: `samplingPoints/${input.samplingPointId} does not exist` };
    const batch = SampleBatch.parse({
      id: `SB-${randomUUID().slice(0, 8)}`,
      samplingPointId: point?.id ?? null,
      source: input.source ?? point!.name,
      gridId: point?.gridId ?? null,
      category: input.category,
      samples: input.samples,
      collectedAt,
      resultedAt: null,
      updatedAt: now,
    });
    const delta = await this.store.apply([{ op: 'upsert', collection: 'sampleBatches', entity: batch }], now);
    return { ok: true, value: batch, seq: delta.seq };
  }

  result(id: string, resultedAt?: number): Promise<ChangeOutcome<SampleBatch>> {
    return patchEntity(this.store, this.clock(), 'sampleBatches', id, SampleBatch, (current, now) => {
      const at = resultedAt ?? now;
      if (current.resultedAt !== null) return { refused: 'conflict', message: '该批次已出结果 (already resulted)' };
      if (at < current.collectedAt || at > now + 60_000) return { refused: 'invalid', message: '出结果时间须在采集之后、不晚于当前 (resultedAt out of range)' };
      return { ...current, resultedAt: at, updatedAt: now };
    });
  }

  /** Removes batches resulted longer ago than the retention; returns how many. */
  async prune(): Promise<number> {
    const now = this.clock();
    const { collections } = await this.store.snapshot();
    const old = Object.values(collections.sampleBatches).filter((b) => b.resultedAt !== null && b.resultedAt < now - BATCH_RETENTION_MS);
    if (old.length === 0) return 0;
    await this.store.apply(
      old.map((b) => ({ op: 'remove' as const, collection: 'sampleBatches' as const, id: b.id })),
      now,
    );
    return old.length;
  }
}
