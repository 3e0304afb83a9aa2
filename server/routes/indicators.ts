// GET /api/indicators: the key figures the wall shows, computed from the live state by
// the same module the wall uses; GET /api/history: their last hours for trend charts.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { indicators } from '../domain/indicators.ts';
import { z } from 'zod';
import { DataBody, HistoryPoint, HistoryQuery, IndicatorsAnswer, responses } from '../schema/index.ts';

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get('/api/indicators', { schema: { response: responses({ 200: IndicatorsAnswer }) } }, async () => {
    const snapshot = await app.store.snapshot();
    return {
      seq: snapshot.seq,
      at: app.clock(),
      data: indicators(snapshot.collections, app.townLayers.facts(app.gridLayers.current), app.clock(), app.config.escalationThreshold, app.config.queueThresholds),
    };
  });

  app.get('/api/history', { schema: { querystring: HistoryQuery, response: responses({ 200: DataBody(z.array(HistoryPoint)) }) } }, async (request) => ({
    data: await app.history.since(app.clock() - request.query.hours * 3_600_000),
  }));
};
export default routes;
