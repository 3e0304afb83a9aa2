// GET /api/kpis: the 120 centre's figures (server/domain/kpi-120.ts) for the county's
// day so far and its last 7 days, with their targets. Aggregates only, so every signed-in
// screen may read them (the wall shows today's).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reportDay } from '../domain/daily-report.ts';
import { kpi120, type KpiWindow } from '../domain/kpi-120.ts';
import { KpiAnswer, responses } from '../schema/index.ts';

const DAY = 86_400_000;

/** An answer is reused while the store's seq is unchanged, for this long: every wall asks after each change. */
const REUSE_MS = 5_000;

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  let last: { seq: number; computedAt: number; answer: KpiAnswer } | null = null;
  app.get('/api/kpis', { schema: { response: responses({ 200: KpiAnswer }) } }, async () => {
    const now = app.clock();
    // One store read per change, not one per screen asking: the screens all ask within seconds of it.
    const current = await app.store.seq();
    if (last && last.seq === current && now - last.computedAt < REUSE_MS) return last.answer;
    const { collections, seq } = await app.store.snapshot();
    const today = reportDay(now, app.timeZone);
    const townAt: KpiWindow['townAt'] = ([lng, lat]) => app.namedGrids.locate(lng, lat)?.townName ?? null;
    const transfers = Object.values(collections.transfers);
    const fleet = Object.values(collections.ambulances);
    const figures = (from: number) => kpi120(transfers, fleet, { from, to: today.end + 1, now, townAt });
    const answer: KpiAnswer = { seq, at: now, date: today.date, timeZone: today.timeZone, data: { today: figures(today.start), week: figures(today.start - 6 * DAY) } };
    last = { seq, computedAt: now, answer };
    return answer;
  });
};
export default routes;
