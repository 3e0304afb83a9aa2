// GET /api/client-config: what a screen needs to know before it draws (the basemap,
// when a fix counts as stale).
// Signed-in screens only, like every /api route; a Tianditu key is a browser key anyway.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClientConfig } from '../schema/index.ts';

const clientConfig: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const body: ClientConfig = ClientConfig.parse({ basemap: app.config.basemap, fixStaleSeconds: Math.round(app.config.fixStaleMs / 1000), disinfectionMinMinutes: app.config.minDisinfectionMs / 60_000, queueThresholds: app.config.queueThresholds });
  app.get('/api/client-config', { schema: { response: { 200: ClientConfig } } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send(body),
  );
};
export default clientConfig;
