// GET /api/client-config: what a screen needs to know before it draws (the basemap,
// when a fix counts as stale, the version of the grids to fetch).
// Signed-in screens only, like every /api route; a Tianditu key is a browser key anyway.
import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ClientConfig } from '../schema/index.ts';

const clientConfig: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const fixed = {
    county: { ...app.county.info, timeZone: app.timeZone },
    basemap: app.config.basemap,
    fixStaleSeconds: Math.round(app.config.fixStaleMs / 1000),
    disinfectionMinMinutes: app.config.minDisinfectionMs / 60_000,
    queueThresholds: app.config.queueThresholds,
  };
  ClientConfig.parse({ ...fixed, gridsVersion: app.townLayers.served(app.gridLayers.current).version });
  // The served grids' version is read at each request: a grid or town import changes it.
  // Sent as its schema says and no more (the zod serializer strips what the config holds beside).
  app.get(
    '/api/client-config',
    { schema: { response: { 200: ClientConfig } }, serializerCompiler: (route) => serializerCompiler({ ...route, schema: ClientConfig }) },
    async (_request, reply) =>
      reply.header('cache-control', 'no-cache').send({ ...fixed, gridsVersion: app.townLayers.served(app.gridLayers.current).version } satisfies ClientConfig),
  );
};
export default clientConfig;
