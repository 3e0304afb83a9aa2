// Town and village imports (乡镇村), for admins (imports:write), as grid and road imports are:
// POST /api/imports/towns?crs=… with the file as the body (CSV or XLSX, up to 8 MB) → the
// report of a pending import; GET /api/imports/towns/:id → its report; GET …/:id/preview →
// while pending, the centres as they would be committed (GeoJSON points, flagged ones marked);
// POST …/:id/commit [?skipInvalid=true&confirmWarnings=true] → the committed set, every process
// switching its gazetteer and labels; DELETE …/:id → cancelled.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AnyFeatureCollection, encodedJson, fileAnswer, ReportBody, responses, TownCommitQuery, TownImportQuery, TownImportReport } from '../schema/index.ts';
import { answer, refuse } from '../http/reply.ts';

/** A county's towns and villages are a few hundred rows: a few kilobytes. */
export const TOWN_IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
const FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel', 'application/octet-stream'];
/** The import's report; `seq` once its commit wrote a delta. */
const Report = ReportBody(TownImportReport);
const PREVIEW = fileAnswer("While pending, the import drawn for the report's map", { 'application/geo+json': encodedJson(AnyFeatureCollection) });
const Params = z.object({ id: z.string().regex(/^TWN-[0-9a-f]{8}$/, '导入编号格式有误') });

const townImports: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const write = app.requirePermission('imports:write');
  const upload = { bodyTimeoutMs: app.config.http.uploadTimeoutMs };
  // Raw bytes for these routes only (this plugin is encapsulated).
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: TOWN_IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/api/imports/towns',
    { schema: { querystring: TownImportQuery, response: responses({ 201: Report }) }, preValidation: write, bodyLimit: TOWN_IMPORT_BODY_LIMIT, config: upload },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return refuse(reply, 'unsupported-media-type', '请以 text/csv 或 XLSX 类型上传文件内容 (send the file as the body)');
      }
      return answer(reply, await app.townImports.upload(request.body, request.query, request.session!.username), { created: true });
    },
  );

  app.get('/api/imports/towns/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) => {
    const report = await app.townImports.get(request.params.id);
    return report ? { data: report } : refuse(reply, 'not-found', `导入 ${request.params.id} 不存在`);
  });

  app.get('/api/imports/towns/:id/preview', { schema: { params: Params, response: responses({ 200: PREVIEW }) }, preValidation: write }, async (request, reply) => {
    const preview = await app.townImports.preview(request.params.id);
    if (preview === undefined) return refuse(reply, 'not-found', `导入 ${request.params.id} 不存在或已处理，没有预览`);
    return reply.header('cache-control', 'private, no-store').type('application/geo+json').send(preview);
  });

  app.post(
    '/api/imports/towns/:id/commit',
    { schema: { params: Params, querystring: TownCommitQuery, response: responses({ 200: Report }) }, preValidation: write },
    async (request, reply) => answer(reply, await app.townImports.commit(request.params.id, request.query, request.session!.username)),
  );

  app.delete('/api/imports/towns/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) =>
    answer(reply, await app.townImports.cancel(request.params.id)),
  );
};
export default townImports;
