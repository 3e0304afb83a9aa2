// Road imports, for data managers and admins (imports:write), as grid imports are:
// POST /api/imports/roads?crs=…&marginKm=… with the file as the body (OpenStreetMap .osm.pbf
// or .osm XML, GeoJSON, a zipped Shapefile; up to 64 MB) → the report of a pending import;
// GET /api/imports/roads/:id → its report; GET …/:id/preview → while pending, the network
// drawn for the report's map (each road with its connected piece, a point on each island);
// POST …/:id/commit [?confirmWarnings=true] → the committed road set, every process
// switching its router; DELETE …/:id → cancelled.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AnyFeatureCollection, encodedJson, fileAnswer, GridCommitQuery, ReportBody, responses, RoadImportQuery, RoadImportReport } from '../schema/index.ts';
import { answer, refuse } from '../http/reply.ts';

/** A county's OSM extract is a few megabytes; a province's fits too (then cut to the county). */
export const ROAD_IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
const FILE_TYPES = [
  'application/octet-stream',
  'application/x-protobuf',
  'application/vnd.openstreetmap.data+xml',
  'application/xml',
  'text/xml',
  'application/geo+json',
  'application/json',
  'application/zip',
  'application/x-zip-compressed',
];
/** The import's report; `seq` once its commit wrote a delta. */
const Report = ReportBody(RoadImportReport);
const PREVIEW = fileAnswer("While pending, the import drawn for the report's map", { 'application/geo+json': encodedJson(AnyFeatureCollection) });
const Params = z.object({ id: z.string().regex(/^RDS-[0-9a-f]{8}$/, '导入编号格式有误') });

const roadImports: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const write = app.requirePermission('imports:write');
  const upload = { bodyTimeoutMs: app.config.http.uploadTimeoutMs };
  // Raw bytes for these routes only (this plugin is encapsulated).
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: ROAD_IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/api/imports/roads',
    { schema: { querystring: RoadImportQuery, response: responses({ 201: Report }) }, preValidation: write, bodyLimit: ROAD_IMPORT_BODY_LIMIT, config: upload },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return refuse(reply, 'unsupported-media-type', '请以文件内容作为请求体上传 OpenStreetMap 数据（.osm.pbf / .osm）、GeoJSON 或 Shapefile（.zip）(send the file as the body)');
      }
      return answer(reply, await app.roadImports.upload(request.body, request.query, request.session!.username), { created: true });
    },
  );

  app.get('/api/imports/roads/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) => {
    const report = await app.roadImports.get(request.params.id);
    return report ? { data: report } : refuse(reply, 'not-found', `导入 ${request.params.id} 不存在`);
  });

  app.get('/api/imports/roads/:id/preview', { schema: { params: Params, response: responses({ 200: PREVIEW }) }, preValidation: write }, async (request, reply) => {
    const preview = await app.roadImports.preview(request.params.id);
    if (preview === undefined) return refuse(reply, 'not-found', `导入 ${request.params.id} 不存在或已处理，没有预览`);
    return reply.header('cache-control', 'private, no-store').type('application/geo+json').send(preview);
  });

  app.post(
    '/api/imports/roads/:id/commit',
    { schema: { params: Params, querystring: GridCommitQuery, response: responses({ 200: Report }) }, preValidation: write },
    async (request, reply) => answer(reply, await app.roadImports.commit(request.params.id, request.query.confirmWarnings, request.session!.username)),
  );

  app.delete('/api/imports/roads/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) =>
    answer(reply, await app.roadImports.cancel(request.params.id)),
  );
};
export default roadImports;
