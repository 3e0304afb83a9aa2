// POST /api/alerts/:id/ack and /api/alerts/:id/resolve {reason}: the people's side of
// an alert's life (the board raises and, when the condition clears, resolves them).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert, DataBody, Id, responses, VisibleText } from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const Params = z.object({ id: Id });
const Resolve = z.object({ reason: VisibleText(500) }).strict();

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/alerts/:id/ack',
    { schema: { params: Params, response: responses({ 200: DataBody(Alert) }) }, preValidation: app.requirePermission('alerts:manage') },
    async (request, reply) => answer(reply, await app.alerts.acknowledge(request.params.id, request.session!.username)),
  );
  app.post(
    '/api/alerts/:id/resolve',
    { schema: { params: Params, body: Resolve, response: responses({ 200: DataBody(Alert) }) }, preValidation: app.requirePermission('alerts:manage') },
    async (request, reply) => answer(reply, await app.alerts.resolve(request.params.id, request.session!.username, request.body.reason)),
  );
};
export default routes;
