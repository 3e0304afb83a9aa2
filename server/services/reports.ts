// The daily report (日报): made at the configured time of day (17:00 Asia/Shanghai by
// default) by one process (whichever claims the day first), or on demand; kept in the
// store by date; rendered as XLSX or CSV when downloaded. A process that starts after the
// time on a day without its report makes it at once (late is better than missing).
// The same tick brings the sites' "today" counters to the county's new day after midnight.
import type { QueueThresholds } from '../domain/queue-level.ts';
import { buildDailyReport, minutesOfDay, reportDay, type DailyReport } from '../domain/daily-report.ts';
import { countyFacts, type CountyFacts } from '../domain/indicators.ts';
import { derivedFromGrids, type GridsSource } from '../county/grids-source.ts';
import type { z } from 'zod';
import { StoredReport, StoredReportListing } from '../schema/stored.ts';
import type { EntityKey, LiveStore } from '../store/store.ts';
import type { Change, IsolationHotel, SamplingPoint } from '../schema/index.ts';
import { onDay } from '../domain/day-counters.ts';
import type { KpiWindow } from '../domain/kpi-120.ts';

export interface ReportsOptions {
  /** The county's population by grid and town now (the app: under the town records); else derived from the grids. */
  facts?: () => CountyFacts;
  /** Minutes after local midnight when the day's report is due (17:00 → 1020). */
  dueMinutes: number;
  timeZone: string;
  countyName: string;
  escalationThreshold: number;
  roundBehindMargin?: number;
  queue?: QueueThresholds;
  /** Told of a kept report or listing that does not read (it is then left out). */
  onMalformed?: (key: string) => void;
  /** The town a point lies in (the 120 figures' same-area response). */
  townAt?: KpiWindow['townAt'];
}

export interface ReportListing {
  date: string;
  title: string;
  generatedAt: number;
  onDemand: boolean;
  zero: boolean;
}

/** What a list of reports shows of one. */
export const listingOf = ({ date, title, generatedAt, onDemand, zero }: DailyReport): ReportListing => ({ date, title, generatedAt, onDemand, zero });

const KIND = 'report';
/** Each report's listing, kept beside it: listing and the due check never read whole reports. */
const INDEX = 'report-index';

export class Reports {
  private readonly facts: () => CountyFacts;
  private ticking = false;
  /** The county's day this process last brought the sites to. */
  private rolledTo: string | null = null;

  constructor(
    private readonly store: LiveStore,
    grids: GridsSource,
    private readonly clock: () => number,
    private readonly options: ReportsOptions,
  ) {
    // The app's facts follow its town records' populations too; else the grids' sums.
    this.facts = options.facts ?? derivedFromGrids(grids, (list) => countyFacts(list));
  }

  /** A kept document parsed with its schema; one that does not read is reported and left out. */
  private read<T>(schema: z.ZodType<T>, json: string, key: string): T | undefined {
    const parsed = schema.safeParse(parseJson(json));
    if (parsed.success) return parsed.data;
    this.options.onMalformed?.(key);
    return undefined;
  }

  /** Makes today's report from the store's state now and keeps it (replacing today's earlier one). */
  async generate(onDemand: boolean): Promise<DailyReport> {
    const now = this.clock();
    const { collections } = await this.store.snapshot();
    const report = buildDailyReport(collections, this.facts(), reportDay(now, this.options.timeZone), {
      generatedAt: now,
      onDemand,
      countyName: this.options.countyName,
      escalationThreshold: this.options.escalationThreshold,
      roundBehindMargin: this.options.roundBehindMargin,
      ...(this.options.queue ? { queue: this.options.queue } : {}),
      ...(this.options.townAt ? { townAt: this.options.townAt } : {}),
    });
    await this.store.putDocument(KIND, report.date, JSON.stringify(report));
    await this.store.putDocument(INDEX, report.date, JSON.stringify(listingOf(report)));
    return report;
  }

  async get(date: string): Promise<DailyReport | undefined> {
    const json = await this.store.getDocument(KIND, date);
    return json === undefined ? undefined : this.read(StoredReport, json, `${KIND}/${date}`);
  }

  /** Every kept report, newest first. */
  async list(): Promise<ReportListing[]> {
    return (await this.store.getDocuments(INDEX)).flatMap(({ id, json }) => this.read(StoredReportListing, json, `${INDEX}/${id}`) ?? []).reverse();
  }

  /**
   * Brings every site nobody wrote since the county's midnight to the new day (its
   * today-counters start again at 0: server/domain/day-counters.ts), in one atomic write;
   * once a day in each process, and harmless in all of them (the write is a compare-and-set
   * and a site already on the day is left alone). Resolves to how many sites it moved.
   */
  async rollOver(now: number): Promise<number> {
    const { date } = reportDay(now, this.options.timeZone);
    if (this.rolledTo === date) return 0;
    const { collections } = await this.store.snapshot();
    const keys: EntityKey[] = [
      ...Object.values(collections.samplingPoints)
        .filter((p) => onDay(p, date) !== p)
        .map((p) => ({ collection: 'samplingPoints' as const, id: p.id })),
      ...Object.values(collections.hotels)
        .filter((h) => onDay(h, date) !== h)
        .map((h) => ({ collection: 'hotels' as const, id: h.id })),
    ];
    let moved = 0;
    if (keys.length > 0) {
      await this.store.updateMany(
        keys,
        (current) => {
          // Not a report from the site: its updatedAt stays (the stale-data alerts go by it).
          const changes = current.flatMap((site, i): Change[] => {
            if (!site) return [];
            const next = onDay(site as SamplingPoint | IsolationHotel, date);
            return next === site ? [] : [{ op: 'upsert', collection: keys[i]!.collection, entity: next } as Change];
          });
          moved = changes.length;
          return changes.length ? changes : null;
        },
        now,
      );
    }
    this.rolledTo = date;
    return moved;
  }

  /** Brings the sites to the day, then makes the day's scheduled report once it is due, unless one is kept already. Returns it when made here. */
  async tick(): Promise<DailyReport | null> {
    if (this.ticking) return null;
    this.ticking = true;
    try {
      const now = this.clock();
      await this.rollOver(now);
      if (minutesOfDay(now, this.options.timeZone) < this.options.dueMinutes) return null;
      const { date } = reportDay(now, this.options.timeZone);
      const kept = await this.store.getDocument(INDEX, date);
      if (kept && this.read(StoredReportListing, kept, `${INDEX}/${date}`)?.onDemand === false) return null;
      if (!(await this.store.claimOnce(`report:${date}`))) return null;
      return await this.generate(false);
    } finally {
      this.ticking = false;
    }
  }
}

/** JSON text as a value; text that is not JSON as undefined (which no schema takes). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
