// The audit log for admins: GET /api/audit (newest first, paged with `before`) and
// GET /api/audit/export (the same as CSV for Excel).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StoredAuditEntry, type AuditEntry } from '../schema/stored.ts';
import { AuditPage, fileAnswer, responses, TextFile } from '../schema/index.ts';
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

function parseEntry(text: string): AuditEntry | null {
  try {
    const parsed = StoredAuditEntry.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

const audit: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  // The CSV's times in the county's zone.
  const countyTime = new Intl.DateTimeFormat('sv-SE', { timeZone: app.timeZone, dateStyle: 'short', timeStyle: 'medium' });
  /** A page of entries, each parsed (a malformed one is logged and left out); `full` and `last` from the page as stored, for paging on. */
  const page = async (limit: number, before?: string) => {
    const stored = await app.store.auditPage(limit, before);
    const entries = stored.flatMap(({ id, json: text }): (AuditEntry & { id: string })[] => {
      const parsed = parseEntry(text);
      if (parsed) return [{ id, ...parsed }];
      app.log.warn({ id }, 'audit: dropped a malformed entry');
      return [];
    });
    return { entries, next: stored.length === limit ? (stored.at(-1)?.id ?? null) : null };
  };

  app.get('/api/audit', { schema: { querystring: Page, response: responses({ 200: AuditPage }) }, preValidation: app.requirePermission('audit:read') }, async (request) => {
    const { entries, next } = await page(request.query.limit, request.query.before);
    return { data: entries, next };
  });

  app.get(
    '/api/audit/export',
    {
      schema: { querystring: Export, response: responses({ 200: fileAnswer('The newest entries as CSV (UTF-8 with BOM, for Excel)', { 'text/csv': TextFile }) }) },
      preValidation: app.requirePermission('audit:read'),
    },
    async (request, reply) => {
      const { entries } = await page(request.query.limit);
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
    },
  );
};
export default audit;
