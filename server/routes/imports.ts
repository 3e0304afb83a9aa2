// Site imports, for admins: POST /api/imports?layer=…&crs=… with the file as the body
// (CSV or XLSX, up to 5 MB) → the validation report of a pending import; GET
// /api/imports/:id → its report; POST /api/imports/:id/commit[?skipInvalid=true] → every
// good row in one delta (409 while rows have errors, unless skipped); DELETE
// /api/imports/:id → cancelled.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommitQuery, ImportQuery, ImportReport, ReportBody, responses } from '../schema/index.ts';
import { answer, refuse } from '../http/reply.ts';

export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;
/** The file's types as browsers and curl send them; the format itself is told by its bytes. */
const FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel', 'application/octet-stream'];
/** The import's report; `seq` once its commit wrote a delta. */
const Report = ReportBody(ImportReport);
const Params = z.object({ id: z.string().regex(/^IMP-[0-9a-f]{8}$/, '导入编号格式有误') });

const imports: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const write = app.requirePermission('imports:write');
  // A file over a slow line takes longer than a form: the upload's own time for its body.
  const upload = { bodyTimeoutMs: app.config.http.uploadTimeoutMs };
  // Raw bytes for these routes only (this plugin is encapsulated): JSON elsewhere stays JSON.
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/api/imports',
    { schema: { querystring: ImportQuery, response: responses({ 201: Report }) }, preValidation: write, bodyLimit: IMPORT_BODY_LIMIT, config: upload },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return refuse(reply, 'unsupported-media-type', '请以 text/csv 或 XLSX 类型上传文件内容 (send the file as the body)');
      }
      return answer(reply, await app.imports.upload(request.body, request.query, request.session!.username), { created: true });
    },
  );

  app.get('/api/imports/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) => {
    const report = await app.imports.get(request.params.id);
    return report ? { data: report } : refuse(reply, 'not-found', `导入 ${request.params.id} 不存在`);
  });

  app.post(
    '/api/imports/:id/commit',
    { schema: { params: Params, querystring: CommitQuery, response: responses({ 200: Report }) }, preValidation: write },
    async (request, reply) => answer(reply, await app.imports.commit(request.params.id, request.query.skipInvalid, request.session!.username)),
  );

  app.delete('/api/imports/:id', { schema: { params: Params, response: responses({ 200: Report }) }, preValidation: write }, async (request, reply) =>
    answer(reply, await app.imports.cancel(request.params.id)),
  );
};
export default imports;
