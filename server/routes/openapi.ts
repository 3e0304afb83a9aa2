// GET /api/openapi.json: the OpenAPI description of every /api route, generated from the
// routes' schemas (server/plugins/openapi.ts), for admins only (`api:describe`): the auth
// plugin decides on this matched route as on every other (unsigned 401, another role 403).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { responses } from '../schema/index.ts';

/** The document itself: OpenAPI 3.1, generated (not checked here). */
const OpenApiDocument = z
  .object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) })
  .loose()
  .describe('The OpenAPI 3.1 description of every /api route');

const openapi: FastifyPluginAsync = async (app) => {
  app.get('/api/openapi.json', { schema: { response: responses({ 200: OpenApiDocument }) }, preValidation: app.requirePermission('api:describe') }, async (_request, reply) =>
    reply.header('cache-control', 'private, no-store').send(app.swagger()),
  );
};
export default openapi;
