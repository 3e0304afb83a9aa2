// The API described once, from the routes' own schemas (server/schema): @fastify/swagger
// collects every /api route as it is registered and generates the OpenAPI description that
// GET /api/openapi.json serves to admins (server/routes/openapi.ts). Response schemas here
// describe and type the answers, never filter or check them: `sendAsMade` serialises an answer
// as a route without one would (a schema short of a field would otherwise drop it, and one
// that did not match would turn an answer into a 500). A route that must send no more than its
// schema says (the client config) sets the zod serializer on itself.
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { FastifySerializerCompiler } from 'fastify';

/** The serializer compiler for every route: JSON as the route made it, whatever its schema says. */
export const sendAsMade: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: `${app.county.info.name} 防疫指挥调度看板 API`,
          description:
            'Every /api route of the board. All but /api/health and /api/auth/login need `Authorization: Bearer <token>`; what each role may do is server/auth/permissions.ts.',
          version: '1',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      // The API only: the phones' /osmand protocol, /metrics and the client's files are not it.
      transform: (document) => (document.url === '/api' || document.url.startsWith('/api/') ? jsonSchemaTransform(document) : { schema: { hide: true }, url: document.url }),
    });
  },
  { name: 'openapi', dependencies: ['services'] },
);
