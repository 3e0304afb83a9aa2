// The daily reports as the API answers them (server/domain/daily-report.ts, services/reports.ts):
// GET /api/reports (the kept ones), POST /api/reports (today's, made now), GET …/:date/json.
import { z } from 'zod';
import { LocalDate, Millis } from './entities.ts';

/** One worksheet: its columns and rows of cells. */
export const ReportSheet = z.object({ name: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.union([z.string(), z.number()]))) });
/** A daily report, as kept. */
export const DailyReport = z.object({
  date: LocalDate,
  timeZone: z.string(),
  generatedAt: Millis,
  /** Made by hand before the scheduled time (预发). */
  onDemand: z.boolean(),
  /** 零报告: nothing new to report on this day. */
  zero: z.boolean(),
  title: z.string(),
  sheets: z.array(ReportSheet),
});
/** What a list of reports shows of one. */
export const ReportListing = DailyReport.pick({ date: true, title: true, generatedAt: true, onDemand: true, zero: true });
/** GET /api/reports: the kept reports newest first, the time today's is due (HH:MM) and the zone it is in. */
export const ReportList = z
  .object({ data: z.array(ReportListing), due: z.string().regex(/^\d\d:\d\d$/), timeZone: z.string() })
  .describe('The kept daily reports, newest first, and when today’s is due');
