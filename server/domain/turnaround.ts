// Test turnaround (DOMAIN.md): how long the lab may take to report a batch, by what
// the samples are. Fever clinics and emergencies: within 4–6 h (due soon from 4 h,
// overdue after 6 h); outpatients, inpatients and escorts: 12 h; voluntary testing:
// 24 h (due soon 2 h before). Pure; the boundaries are exact: a batch resulted at the
// limit to the millisecond is on time.
import { SAMPLE_CATEGORY_WORDS, type SampleBatch, type SampleCategory } from '../schema/index.ts';

const HOUR = 3_600_000;

/** The sample categories in the plan's words. */
export const CATEGORY: Record<SampleCategory, string> = SAMPLE_CATEGORY_WORDS.zh;

export const TURNAROUND: Record<SampleCategory, { dueSoonMs: number; limitMs: number }> = {
  'fever-emergency': { dueSoonMs: 4 * HOUR, limitMs: 6 * HOUR },
  clinical: { dueSoonMs: 10 * HOUR, limitMs: 12 * HOUR },
  voluntary: { dueSoonMs: 22 * HOUR, limitMs: 24 * HOUR },
};

/** waiting / due-soon / overdue while the lab has not reported; on-time / late once it has. */
export type TurnaroundState = 'waiting' | 'due-soon' | 'overdue' | 'on-time' | 'late';

export function turnaroundState(b: Pick<SampleBatch, 'category' | 'collectedAt' | 'resultedAt'>, now: number): TurnaroundState {
  const { dueSoonMs, limitMs } = TURNAROUND[b.category];
  if (b.resultedAt !== null) return b.resultedAt - b.collectedAt <= limitMs ? 'on-time' : 'late';
  const age = now - b.collectedAt;
  if (age > limitMs) return 'overdue';
  return age >= dueSoonMs ? 'due-soon' : 'waiting';
}

/** When the batch is (or was) due, for the screen. */
export const dueAt = (b: Pick<SampleBatch, 'category' | 'collectedAt'>): number => b.collectedAt + TURNAROUND[b.category].limitMs;
