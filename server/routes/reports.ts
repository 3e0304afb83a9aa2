// The daily reports: GET /api/reports (the kept ones, newest first), POST /api/reports
// (make today's now), GET /api/reports/:date/:format (json to preview, xlsx or csv to download).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportCsv } from '../reports/render-csv.ts';
import { reportXlsx } from '../reports/render-xlsx.ts';
import { listingOf } from '../services/reports.ts';
import { refuse } from '../http/reply.ts';
import { BinaryFile, DailyReport, DataBody, fileAnswer, ReportList, ReportListing, responses, TextFile } from '../schema/index.ts';

const Params = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  format: z.enum(['json', 'xlsx', 'csv']),
});
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** One report in the format asked: JSON to preview, CSV or XLSX to download. */
const ONE_REPORT = fileAnswer('The report: JSON (`{ data }`) for json, a file for csv and xlsx', {
  'application/json': DataBody(DailyReport),
  'text/csv': TextFile,
  [XLSX]: BinaryFile,
});

const reports: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { dueMinutes } = app.config.report;
  const { timeZone } = app;
  const due = `${String(Math.floor(dueMinutes / 60)).padStart(2, '0')}:${String(dueMinutes % 60).padStart(2, '0')}`;

  app.get('/api/reports', { schema: { response: responses({ 200: ReportList }) }, preValidation: app.requirePermission('reports:read') }, async () => ({
    data: await app.reports.list(),
    due,
    timeZone,
  }));

  app.post('/api/reports', { schema: { response: responses({ 200: DataBody(ReportListing) }) }, preValidation: app.requirePermission('reports:generate') }, async (request) => {
    const report = await app.reports.generate(true);
    request.log.info({ date: report.date, by: request.session?.username }, 'daily report made on demand');
    return { data: listingOf(report) };
  });

  app.get(
    '/api/reports/:date/:format',
    { schema: { params: Params, response: responses({ 200: ONE_REPORT }) }, preValidation: app.requirePermission('reports:read') },
    async (request, reply) => {
      const { date, format } = request.params;
      const report = await app.reports.get(date);
      if (!report) return refuse(reply, 'not-found', `${date} 无日报 (no report for ${date})`);
      if (format === 'json') return { data: report };
      const name = `${report.title}.${format}`;
      reply.header('content-disposition', `attachment; filename="daily-report-${date}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      reply.header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(report));
      return reply.type(XLSX).send(await reportXlsx(report, app.county.info.name));
    },
  );
};
export default reports;
