// GET /api/openapi.json: the OpenAPI description of every /api route, generated from the
// routes' schemas (server/plugins/openapi.ts), for admins only (`api:describe`): the auth
// plugin decides on this matched route as on every other (unsigned 401, another role 403).
import type { FastifyPluginAsync } from 'fastify';

const openapi: FastifyPluginAsync = async (app) => {
  app.get('/api/openapi.json', { preValidation: app.requirePermission('api:describe') }, async (_request, reply) =>
    reply.header('cache-control', 'private, no-store').send(app.swagger()),
  );
};
export default openapi;
