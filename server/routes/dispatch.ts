// GET /api/gazetteer, POST /api/dispatch/recommend and the transfer tasks: create (optionally assigning
// a unit at once), and move through their steps. A refused step answers 409 with
// the steps allowed from here; a unit taken by another dispatcher answers 409 with a
// fresh recommendation.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangeBody,
  CreateTransferRequest,
  DataBody,
  GazetteerEntry,
  GazetteerQuery,
  Id,
  Recommendation,
  RecommendRequest,
  responses,
  TransferTask,
  TransitionRequest,
} from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const Params = z.object({ id: Id });
/** A recommendation as of the store's seq it read. */
const Recommended = z.object({ data: Recommendation, seq: z.number().int().nonnegative() });

const dispatch: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  // Places for call intake, by Chinese name or pinyin; built on first use of each grid set and town set.
  app.get('/api/gazetteer', { schema: { querystring: GazetteerQuery, response: responses({ 200: DataBody(z.array(GazetteerEntry)) }) } }, async (request) => ({
    data: app.townLayers.gazetteer(app.gridLayers.current).search(request.query.q, request.query.limit),
  }));

  app.post(
    '/api/dispatch/recommend',
    { schema: { body: RecommendRequest, response: responses({ 200: Recommended }) }, preValidation: app.requirePermission('dispatch:recommend') },
    async (request, reply) => answer(reply, await app.dispatch.recommend(request.body)),
  );

  app.post(
    '/api/transfers',
    { schema: { body: CreateTransferRequest, response: responses({ 201: ChangeBody(TransferTask) }) }, preValidation: app.requirePermission('transfers:write') },
    async (request, reply) => {
      const outcome = await app.dispatch.createTransfer(request.body, request.session!.username);
      if (outcome.ok || outcome.error !== 'conflict') return answer(reply, outcome, { created: true });
      // The unit went to someone else: here is what to send instead.
      const fresh = await app.dispatch.recommend({ call: request.body.call, pickup: request.body.pickup, limit: 5 });
      return answer(reply, { ...outcome, recommendation: fresh.ok ? fresh.value : null });
    },
  );

  app.post(
    '/api/transfers/:id/steps',
    { schema: { params: Params, body: TransitionRequest, response: responses({ 200: ChangeBody(TransferTask) }) }, preValidation: app.requirePermission('transfers:write') },
    async (request, reply) => answer(reply, await app.dispatch.transition(request.params.id, request.body, request.session!.username)),
  );
};
export default dispatch;
