// The key-figure history: every interval one process (whichever comes first) samples
// the indicators into the store, kept for the retention period; the wall's trend
// charts read the last hours of it.
import { countyFacts, indicators, type CountyFacts } from '../domain/indicators.ts';
import type { QueueThresholds } from '../domain/queue-level.ts';
import { HistoryPoint } from '../schema/index.ts';
import { derivedFromGrids, type GridsSource } from '../county/grids-source.ts';
import type { LiveStore } from '../store/store.ts';

export interface HistoryOptions {
  /** The county's population by grid and town now (the app: under the town records); else derived from the grids. */
  facts?: () => CountyFacts;
  intervalMs: number;
  retentionMs: number;
  escalationThreshold: number;
  queue?: QueueThresholds;
}

export function historyPoint(collections: Parameters<typeof indicators>[0], facts: CountyFacts, at: number, threshold: number, queue?: QueueThresholds): HistoryPoint {
  const k = indicators(collections, facts, at, threshold, queue);
  const tier = (role: string) => k.hospitals.tiers.find((t) => t.role === role)?.occupancy ?? 0;
  return {
    at,
    queuing: k.sampling.queuing,
    openPoints: k.sampling.openPoints,
    crowdedPoints: k.sampling.crowdedPoints,
    samplesToday: k.sampling.samplesToday,
    isolationPeople: k.isolation.people,
    roomsOccupied: k.isolation.roomsOccupied,
    roomsTotal: k.isolation.roomsTotal,
    designatedOccupancy: tier('designated'),
    reserveOccupancy: tier('reserve'),
    ambulancesAvailable: k.ambulances.byStatus.available,
  };
}

export class History {
  private readonly facts: () => CountyFacts;

  constructor(
    private readonly store: LiveStore,
    grids: GridsSource,
    private readonly clock: () => number,
    private readonly options: HistoryOptions,
  ) {
    // The app's facts follow its town records' populations too; else the grids' sums.
    this.facts = options.facts ?? derivedFromGrids(grids, (list) => countyFacts(list));
  }

  /** Samples now, into this interval's slot; false when another process already did. */
  async record(): Promise<boolean> {
    const now = this.clock();
    const slot = String(Math.floor(now / this.options.intervalMs));
    const { collections } = await this.store.snapshot();
    const point = historyPoint(collections, this.facts(), now, this.options.escalationThreshold, this.options.queue);
    return this.store.appendHistory(slot, now, JSON.stringify(point), this.options.retentionMs);
  }

  async since(since: number): Promise<HistoryPoint[]> {
    const rows = await this.store.historySince(since);
    return rows.flatMap((r) => {
      const parsed = HistoryPoint.safeParse(JSON.parse(r.json));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Writes points the caller made up (the simulator's past), each in its own slot. */
  async backfill(points: HistoryPoint[]): Promise<void> {
    for (const p of points) await this.store.appendHistory(`backfill:${Math.floor(p.at / this.options.intervalMs)}`, p.at, JSON.stringify(p), this.options.retentionMs);
  }
}
