// The turnaround limits as a table, at their exact boundaries.
import { describe, expect, it } from 'vitest';
import { dueAt, turnaroundState } from '../../server/domain/turnaround.ts';
import type { SampleCategory } from '../../server/schema/index.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const batch = (category: SampleCategory, resultedAfter: number | null = null) => ({
  category,
  collectedAt: T0,
  resultedAt: resultedAfter === null ? null : T0 + resultedAfter,
});

describe('test turnaround', () => {
  it.each([
    // category, hours since collection (no result yet), state
    ['fever-emergency', 0, 'waiting'],
    ['fever-emergency', 4 * H - 1, 'waiting'],
    ['fever-emergency', 4 * H, 'due-soon'],
    ['fever-emergency', 6 * H, 'due-soon'],
    ['fever-emergency', 6 * H + 1, 'overdue'],
    ['clinical', 10 * H - 1, 'waiting'],
    ['clinical', 10 * H, 'due-soon'],
    ['clinical', 12 * H, 'due-soon'],
    ['clinical', 12 * H + 1, 'overdue'],
    ['voluntary', 22 * H - 1, 'waiting'],
    ['voluntary', 24 * H, 'due-soon'],
    ['voluntary', 24 * H + 1, 'overdue'],
  ] as const)('%s, %d ms without a result: %s', (category, age, state) => {
    expect(turnaroundState(batch(category), T0 + age)).toBe(state);
  });

  it.each([
    ['fever-emergency', 6 * H, 'on-time'],
    ['fever-emergency', 6 * H + 1, 'late'],
    ['clinical', 12 * H, 'on-time'],
    ['clinical', 12 * H + 1, 'late'],
    ['voluntary', 24 * H, 'on-time'],
    ['voluntary', 24 * H + 1, 'late'],
  ] as const)('%s resulted after %d ms: %s, whenever it is asked', (category, after, state) => {
    expect(turnaroundState(batch(category, after), T0 + after)).toBe(state);
    expect(turnaroundState(batch(category, after), T0 + 100 * H)).toBe(state);
  });

  it('is due at collection plus its limit', () => {
    expect(dueAt(batch('fever-emergency')) - T0).toBe(6 * H);
    expect(dueAt(batch('clinical')) - T0).toBe(12 * H);
    expect(dueAt(batch('voluntary')) - T0).toBe(24 * H);
  });
});
