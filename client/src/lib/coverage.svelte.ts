// Coverage for a screen: GET /api/coverage (the console: every grid, the suggestions) or
// /api/coverage/summary (the wall: county figures only) when the screen opens, again a
// moment after the ambulances or move tasks change (at most every few seconds: positions
// stream in) and every half minute (fixes go stale without any change).
import type { CoverageState } from '../../../server/services/coverage.ts';
import type { StandbyPoint } from '../../../server/domain/coverage.ts';
import { dataOf, RefreshingFeed } from './refreshing-feed.svelte.ts';
import type { LiveState } from './live.svelte.ts';

export type CoverageAnswer = CoverageState & { points: StandbyPoint[]; thresholdsMin: number[]; targetMin: number };
export interface CoverageSummary {
  at: number;
  population: number;
  within: CoverageState['figures']['within'];
  uncoveredTowns: string[];
  thresholdsMin: number[];
}

/** Coverage for the console (every grid, the suggestions) or the wall (county figures only). */
export function coverageFeed<T extends CoverageAnswer | CoverageSummary>(
  path: '/api/coverage' | '/api/coverage/summary',
  live: () => LiveState,
  onload?: (value: T) => void,
): RefreshingFeed<T> {
  return new RefreshingFeed<T>(dataOf<T>(path), {
    follows: () => [live().versions.ambulances, live().versions.moveTasks],
    everyMs: 30_000,
    ...(onload ? { onload } : {}),
  });
}
