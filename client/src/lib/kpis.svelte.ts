// The 120 centre's figures for a screen: GET /api/kpis when the screen opens, again a
// couple of seconds after the transfers change (a step moved) and every minute (the
// "still open" tasks pass their 3 minutes without any change).
import type { Kpi120 } from '../../../server/domain/kpi-120.ts';
import { api } from './api.ts';
import { RefreshingFeed } from './refreshing-feed.svelte.ts';
import type { LiveState } from './live.svelte.ts';

export interface KpiAnswer {
  at: number;
  date: string;
  data: { today: Kpi120; week: Kpi120 };
}

/** The figures, followed on the transfers (a step moved) and read again every minute. */
export const kpiFeed = (live: () => LiveState, everyMs = 60_000): RefreshingFeed<KpiAnswer> =>
  new RefreshingFeed(() => api<KpiAnswer>('/api/kpis'), { follows: () => live().versions.transfers, everyMs });
