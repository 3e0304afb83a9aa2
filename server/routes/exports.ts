// GET /api/export/:layer: the current state of one map layer as GeoJSON (grids with
// their risk level, sampling points, isolation hotels, hospitals, ambulances), for GIS
// tools and other agencies; a file named for the layer and the China-time date.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_LAYERS, layerGeoJson } from '../exports/geojson-layers.ts';

const Params = z.object({ layer: z.enum(EXPORT_LAYERS) });
const chinaDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' });
/** The file's Chinese name, for the people who receive it. */
const NAMES: Record<(typeof EXPORT_LAYERS)[number], string> = {
  grids: '网格风险等级',
  samplingPoints: '核酸采样点',
  hotels: '集中隔离点',
  hospitals: '定点医院',
  ambulances: '负压救护车',
};

const exportsRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get('/api/export/:layer', { schema: { params: Params }, preValidation: app.requirePermission('export:read') }, async (request, reply) => {
    const { layer } = request.params;
    const snapshot = await app.store.snapshot();
    const date = chinaDate.format(new Date(app.clock()));
    reply.header(
      'content-disposition',
      `attachment; filename="${layer}-${date}.geojson"; filename*=UTF-8''${encodeURIComponent(`${NAMES[layer]}-${date}.geojson`)}`,
    );
    return reply.type('application/geo+json').send(JSON.stringify(layerGeoJson(layer, snapshot.collections, app.county.grids)));
  });
};
export default exportsRoutes;
