// Coverage (issue 18, parts 1 and 2). GET /api/coverage: each grid's minutes to the nearest
// negative-pressure and ordinary unit that could go now, the figures, the standby points and
// the move-up suggestions (commanders and dispatchers). GET /api/coverage/summary: the
// county's figures only, for every signed-in screen (the wall: aggregates, no units).
// POST /api/coverage/moves accepts a suggestion (409 with the fresh ones when it no longer
// stands); POST /api/coverage/moves/:id/end ends a move.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AcceptMoveRequest, ChangeBody, CoverageAnswer, CoverageSummary, DataBody, EndMoveRequest, Id, MoveTask, responses } from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get('/api/coverage', { schema: { response: responses({ 200: DataBody(CoverageAnswer) }) }, preValidation: app.requirePermission('coverage:read') }, async () => {
    const state = await app.coverage.current();
    return { data: { ...state, points: app.coverage.points, thresholdsMin: app.config.coverage.thresholdsMin, targetMin: app.config.coverage.targetMin } };
  });

  app.get('/api/coverage/summary', { schema: { response: responses({ 200: DataBody(CoverageSummary) }) } }, async () => {
    const { at, figures } = await app.coverage.current();
    return { data: { at, population: figures.population, within: figures.within, uncoveredTowns: figures.uncoveredTowns, thresholdsMin: figures.thresholdsMin } };
  });

  app.post(
    '/api/coverage/moves',
    { schema: { body: AcceptMoveRequest, response: responses({ 201: ChangeBody(MoveTask) }) }, preValidation: app.requirePermission('moves:write') },
    async (request, reply) => {
      const outcome = await app.coverage.accept(request.body.ambulanceId, request.body.pointId, request.session!.username);
      // A refusal always carries the fresh suggestions (none, when there are none).
      return answer(reply, outcome.ok ? outcome : { ...outcome, suggestions: outcome.suggestions ?? [] }, { created: true });
    },
  );

  app.post(
    '/api/coverage/moves/:id/end',
    { schema: { params: z.object({ id: Id }), body: EndMoveRequest, response: responses({ 200: ChangeBody(MoveTask) }) }, preValidation: app.requirePermission('moves:write') },
    async (request, reply) => answer(reply, await app.coverage.end(request.params.id, request.body.status)),
  );
};
export default routes;
