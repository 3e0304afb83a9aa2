// The audit log for admins: GET /api/audit (newest first, paged with `before`) and
// GET /api/audit/export (the same as CSV for Excel).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditEntry } from '../plugins/audit.ts';
import { csvCell, csvFile } from '../reports/render-csv.ts';

const Page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z
    .string()
    .regex(/^\d+-\d+$/)
    .optional(),
});
const Export = z.object({ limit: z.coerce.number().int().min(1).max(100_000).default(10_000) });
const COLUMNS = ['时间', '用户', '角色', '来源地址', '方法', '路由', '状态', '对象', '变更前', '变更后', '请求内容'];

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

const audit: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  // The CSV's times in the county's zone.
  const countyTime = new Intl.DateTimeFormat('sv-SE', { timeZone: app.timeZone, dateStyle: 'short', timeStyle: 'medium' });
  const page = async (limit: number, before?: string) => (await app.store.auditPage(limit, before)).map(({ id, json: text }) => ({ id, ...(JSON.parse(text) as AuditEntry) }));

  app.get('/api/audit', { schema: { querystring: Page }, preValidation: app.requirePermission('audit:read') }, async (request) => {
    const data = await page(request.query.limit, request.query.before);
    return { data, next: data.length === request.query.limit ? (data.at(-1)?.id ?? null) : null };
  });

  app.get('/api/audit/export', { schema: { querystring: Export }, preValidation: app.requirePermission('audit:read') }, async (request, reply) => {
    const entries = await page(request.query.limit);
    const lines = [COLUMNS.map(csvCell).join(',')];
    for (const e of entries) {
      const row = [
        countyTime.format(new Date(e.at)),
        e.user ?? '',
        e.role ?? '',
        e.ip,
        e.method,
        e.route,
        e.status,
        e.subject ? `${e.subject.collection}/${e.subject.id}` : '',
        json(e.before),
        json(e.after),
        json(e.body),
      ];
      lines.push(row.map(csvCell).join(','));
    }
    reply.header('content-disposition', `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`);
    return reply.type('text/csv; charset=utf-8').send(csvFile(lines));
  });
};
export default audit;
