// The 120 centre's figures for a screen: GET /api/kpis when the screen opens, again a
// couple of seconds after the transfers change (a step moved) and every minute (the
// "still open" tasks pass their 3 minutes without any change).
import type { Kpi120 } from '../../../server/domain/kpi-120.ts';
import { api } from './api.ts';
import type { LiveState } from './live.svelte.ts';

export interface KpiAnswer {
  at: number;
  date: string;
  data: { today: Kpi120; week: Kpi120 };
}

export class KpiFeed {
  value = $state<KpiAnswer | null>(null);
  failed = $state(false);
  #timer: ReturnType<typeof setInterval>;
  #soon: ReturnType<typeof setTimeout> | null = null;
  #stop: () => void;

  constructor(live: () => LiveState, everyMs = 60_000) {
    void this.load();
    this.#timer = setInterval(() => void this.load(), everyMs);
    // Follow the transfers' version without re-rendering: an effect root owned by this feed.
    this.#stop = $effect.root(() => {
      $effect(() => {
        void live().versions.transfers;
        if (this.#soon) clearTimeout(this.#soon);
        this.#soon = setTimeout(() => void this.load(), 2_000);
      });
    });
  }

  async load(): Promise<void> {
    try {
      this.value = await api<KpiAnswer>('/api/kpis');
      this.failed = false;
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
