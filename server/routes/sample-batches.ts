// Test turnaround: POST /api/sample-batches (a batch sent to the lab) and
// POST /api/sample-batches/:id/result (the lab reported). A field lead sends batches
// from their own sampling points only.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangeBody, Id, NewSampleBatch, responses, SampleBatch, SampleBatchResult } from '../schema/index.ts';
import { mayChangeSamplingPoint, NOT_YOUR_POINT } from '../auth/scope.ts';
import { answer, refuse } from '../http/reply.ts';

const sampleBatches: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/sample-batches',
    { schema: { body: NewSampleBatch, response: responses({ 201: ChangeBody(SampleBatch) }) }, preValidation: app.requirePermission('sampleBatches:create') },
    async (request, reply) => {
      const { samplingPointId } = request.body;
      const session = request.session!;
      if (session.role === 'field' && (!samplingPointId || !(await mayChangeSamplingPoint(app.store, session, samplingPointId)))) {
        return refuse(reply, NOT_YOUR_POINT);
      }
      return answer(reply, await app.sampleBatches.create(request.body), { created: true });
    },
  );

  app.post(
    '/api/sample-batches/:id/result',
    {
      schema: { params: z.object({ id: Id }), body: SampleBatchResult, response: responses({ 200: ChangeBody(SampleBatch) }) },
      preValidation: app.requirePermission('sampleBatches:result'),
    },
    async (request, reply) => answer(reply, await app.sampleBatches.result(request.params.id, request.body.resultedAt)),
  );
};
export default sampleBatches;
