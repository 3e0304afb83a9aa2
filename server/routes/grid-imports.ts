// Grid imports, for admins: POST /api/imports/grids?crs=… with the file as the body
// (GeoJSON, a zipped Shapefile or KML, up to 20 MB) → the validation report of a pending
// import; GET /api/imports/grids/:id → its report; POST /api/imports/grids/:id/commit
// [?confirmWarnings=true] → the grid set and its live changes in one step (409 while it
// has errors, or warnings not confirmed); DELETE /api/imports/grids/:id → cancelled;
// GET /api/imports/grids/:id/preview → while pending, the set drawn for the report's map
// (GeoJSON: each feature with its problem level, the overlaps and gaps), 404 once handled.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AnyFeatureCollection, encodedJson, fileAnswer, GridCommitQuery, GridImportQuery, GridImportReport, ReportBody, responses } from '../schema/index.ts';
import { answer, refuse } from '../http/reply.ts';

export const GRID_IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
/** The types browsers and curl send these files as; the format itself is told by the bytes. */
const FILE_TYPES = [
  'application/geo+json',
  'application/json',
  'application/zip',
  'application/x-zip-compressed',
  'application/vnd.google-earth.kml+xml',
  'application/xml',
  'text/xml',
  'application/octet-stream',
];
/** The import's report; `seq` once its commit wrote a delta. */
const Report = ReportBody(GridImportReport);
const PREVIEW = fileAnswer("While pending, the import drawn for the report's map", { 'application/geo+json': encodedJson(AnyFeatureCollection) });
const Params = z.object({ id: z.string().regex(/^GRD-[0-9a-f]{8}$/, '导入编号格式有误') });

const gridImports: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const write = app.requirePermission('imports:write');
  // A file over a slow line takes longer than a form: the upload's own time for its body.
  const upload = { bodyTimeoutMs: app.config.http.uploadTimeoutMs };
  // Raw bytes for these routes only (this plugin is encapsulated): GeoJSON is read by the import.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: GRID_IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/api/imports/grids',
    { schema: { querystring: GridImportQuery, response: responses({ 201: Report }) }, preValidation: write, bodyLimit: GRID_IMPORT_BODY_LIMIT, config: upload },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return refuse(reply, 'unsupported-media-type', '请以文件内容作为请求体上传 GeoJSON、Shapefile（.zip）或 KML (send the file as the body)');
      }
      return answer(reply, await app.gridImports.upload(request.body, request.query, request.session!.username), { created: true });
    },
  );

  app.get('/api/imports/grids/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) => {
    const report = await app.gridImports.get(request.params.id);
    return report ? { data: report } : refuse(reply, 'not-found', `导入 ${request.params.id} 不存在`);
  });

  app.get('/api/imports/grids/:id/preview', { schema: { params: Params, response: responses({ 200: PREVIEW }) }, preValidation: write }, async (request, reply) => {
    const preview = await app.gridImports.preview(request.params.id);
    if (preview === undefined) return refuse(reply, 'not-found', `导入 ${request.params.id} 不存在或已处理，没有预览`);
    return reply.header('cache-control', 'private, no-store').type('application/geo+json').send(preview);
  });

  app.post(
    '/api/imports/grids/:id/commit',
    { schema: { params: Params, querystring: GridCommitQuery, response: responses({ 200: Report }) }, preValidation: write },
    async (request, reply) => answer(reply, await app.gridImports.commit(request.params.id, request.query.confirmWarnings, request.session!.username)),
  );

  app.delete('/api/imports/grids/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) =>
    answer(reply, await app.gridImports.cancel(request.params.id)),
  );
};
export default gridImports;
