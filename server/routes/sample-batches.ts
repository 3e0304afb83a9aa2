// Test turnaround: POST /api/sample-batches (a batch sent to the lab) and
// POST /api/sample-batches/:id/result (the lab reported). A field lead sends batches
// from their own sampling points only.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, NewSampleBatch, SampleBatchResult, type SampleBatch } from '../schema/index.ts';
import { mayChangeSamplingPoint, NOT_YOUR_POINT } from '../auth/scope.ts';
import type { Outcome } from '../services/live-updates.ts';

const STATUS = { 'not-found': 404, invalid: 400, conflict: 409 } as const;
const send = (reply: FastifyReply, outcome: Outcome<SampleBatch>, created = false) =>
  outcome.ok
    ? reply.code(created ? 201 : 200).send({ data: outcome.value, seq: outcome.seq })
    : reply.code(STATUS[outcome.error]).send({ error: outcome.error, message: outcome.message });

const sampleBatches: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post('/api/sample-batches', { schema: { body: NewSampleBatch }, preValidation: app.requirePermission('sampleBatches:create') }, async (request, reply) => {
    const { samplingPointId } = request.body;
    const session = request.session!;
    if (session.role === 'field' && (!samplingPointId || !(await mayChangeSamplingPoint(app.store, session, samplingPointId)))) {
      return reply.code(403).send(NOT_YOUR_POINT);
    }
    return send(reply, await app.sampleBatches.create(request.body), true);
  });

  app.post(
    '/api/sample-batches/:id/result',
    { schema: { params: z.object({ id: Id }), body: SampleBatchResult }, preValidation: app.requirePermission('sampleBatches:result') },
    async (request, reply) => send(reply, await app.sampleBatches.result(request.params.id, request.body.resultedAt)),
  );
};
export default sampleBatches;
