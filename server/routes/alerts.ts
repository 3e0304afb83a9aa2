// POST /api/alerts/:id/ack and /api/alerts/:id/resolve {reason}: the people's side of
// an alert's life (the board raises and, when the condition clears, resolves them).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, VisibleText } from '../schema/index.ts';
import type { AlertOutcome } from '../services/alerts.ts';

const Params = z.object({ id: Id });
const Resolve = z.object({ reason: VisibleText(500) }).strict();

const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const send = (reply: import('fastify').FastifyReply, o: AlertOutcome) =>
    o.ok ? reply.send({ data: o.value }) : reply.code(o.error === 'not-found' ? 404 : 409).send({ error: o.error, message: o.message });

  app.post('/api/alerts/:id/ack', { schema: { params: Params }, preValidation: app.requirePermission('alerts:manage') }, async (request, reply) =>
    send(reply, await app.alerts.acknowledge(request.params.id, request.session!.username)),
  );
  app.post('/api/alerts/:id/resolve', { schema: { params: Params, body: Resolve }, preValidation: app.requirePermission('alerts:manage') }, async (request, reply) =>
    send(reply, await app.alerts.resolve(request.params.id, request.session!.username, request.body.reason)),
  );
};
export default routes;
