// GET /api/export/:layer: the current state of one map layer as GeoJSON (grids with
// their risk level, sampling points, isolation hotels, hospitals, ambulances), for GIS
// tools and other agencies; a file named for the layer and the county's date.
// GET /api/export/hospitals.have.xml: the hospitals' bed availability as EDXL-HAVE 1.0 (HospitalStatus).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hospitalsHaveXml } from '../exports/edxl-have.ts';
import { EXPORT_LAYERS, layerGeoJson } from '../exports/geojson-layers.ts';
import { AnyFeatureCollection, encodedJson, fileAnswer, responses, TextFile } from '../schema/index.ts';

const Params = z.object({ layer: z.enum(EXPORT_LAYERS) });
/** The file's Chinese name, for the people who receive it. */
const NAMES: Record<(typeof EXPORT_LAYERS)[number], string> = {
  grids: '网格风险等级',
  samplingPoints: '核酸采样点',
  hotels: '集中隔离点',
  hospitals: '定点医院',
  ambulances: '负压救护车',
};

/** An attachment named in ASCII, and in Chinese for the browsers that read filename*. */
const attachment = (ascii: string, chinese: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;

const exportsRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const countyDate = new Intl.DateTimeFormat('sv-SE', { timeZone: app.timeZone, dateStyle: 'short' });
  // Registered before the parametric route; a static path wins over :layer anyway.
  const xml = responses({ 200: fileAnswer('EDXL-HAVE 1.0: the hospitals and their beds (HospitalStatus)', { 'application/xml': TextFile }) });
  const geojson = responses({ 200: fileAnswer("The layer's features as GeoJSON, without personal data", { 'application/geo+json': encodedJson(AnyFeatureCollection) }) });
  app.get('/api/export/hospitals.have.xml', { schema: { response: xml }, preValidation: app.requirePermission('export:read') }, async (_request, reply) => {
    const snapshot = await app.store.snapshot();
    const now = app.clock();
    const date = countyDate.format(new Date(now));
    reply.header('content-disposition', attachment(`hospitals-have-${date}.xml`, `医院床位-EDXL-HAVE-${date}.xml`));
    const xml = hospitalsHaveXml(Object.values(snapshot.collections.hospitals), () => now, app.config.escalationThreshold, app.timeZone);
    return reply.type('application/xml; charset=utf-8').send(xml);
  });
  app.get('/api/export/:layer', { schema: { params: Params, response: geojson }, preValidation: app.requirePermission('export:read') }, async (request, reply) => {
    const { layer } = request.params;
    const snapshot = await app.store.snapshot();
    const date = countyDate.format(new Date(app.clock()));
    reply.header('content-disposition', attachment(`${layer}-${date}.geojson`, `${NAMES[layer]}-${date}.geojson`));
    return reply.type('application/geo+json').send(JSON.stringify(layerGeoJson(layer, snapshot.collections, app.gridLayers.current.grids)));
  });
};
export default exportsRoutes;
