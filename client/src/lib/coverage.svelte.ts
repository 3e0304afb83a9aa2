// Coverage for a screen: GET /api/coverage (the console: every grid, the suggestions) or
// /api/coverage/summary (the wall: county figures only) when the screen opens, again a
// moment after the ambulances or move tasks change (at most every few seconds: positions
// stream in) and every half minute (fixes go stale without any change).
import type { CoverageState } from '../../../server/services/coverage.ts';
import type { StandbyPoint } from '../../../server/domain/coverage.ts';
import { api } from './api.ts';
import type { LiveState } from './live.svelte.ts';

export type CoverageAnswer = CoverageState & { points: StandbyPoint[]; thresholdsMin: number[]; targetMin: number };
export interface CoverageSummary {
  at: number;
  population: number;
  within: CoverageState['figures']['within'];
  uncoveredTowns: string[];
  thresholdsMin: number[];
}

export class CoverageFeed<T extends CoverageAnswer | CoverageSummary> {
  value = $state<T | null>(null);
  failed = $state(false);
  #timer: ReturnType<typeof setInterval>;
  #soon: ReturnType<typeof setTimeout> | null = null;
  #last = 0;
  #stop: () => void;

  constructor(
    private readonly path: '/api/coverage' | '/api/coverage/summary',
    live: () => LiveState,
    private readonly onload: (value: T) => void = () => {},
    everyMs = 30_000,
    settleMs = 2_000,
  ) {
    void this.load();
    this.#timer = setInterval(() => void this.load(), everyMs);
    this.#stop = $effect.root(() => {
      $effect(() => {
        void live().versions.ambulances;
        void live().versions.moveTasks;
        // Throttled, not debounced: a stream of fixes must not put the reload off for ever.
        if (this.#soon) return;
        const wait = Math.max(500, settleMs - (Date.now() - this.#last));
        this.#soon = setTimeout(() => {
          this.#soon = null;
          void this.load();
        }, wait);
      });
    });
  }

  async load(): Promise<void> {
    this.#last = Date.now();
    try {
      const answer = await api<{ data: T }>(this.path);
      this.value = answer.data;
      this.failed = false;
      this.onload(answer.data);
    } catch {
      this.failed = true;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#stop();
  }
}
