// A daily report as an XLSX workbook (exceljs): one worksheet per sheet, the report's
// title across the top, a bold header row frozen under it, columns as wide as their text.
import ExcelJS from 'exceljs';
import type { DailyReport } from '../domain/daily-report.ts';

/** Display width of a cell: CJK characters count double. */
const width = (v: string | number) => [...String(v)].reduce((n, ch) => n + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);

export async function reportXlsx(report: DailyReport, countyName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${countyName}疫情防控指挥部 实时态势`;
  workbook.created = new Date(report.generatedAt);
  for (const sheet of report.sheets) {
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    const title = ws.addRow([report.title]);
    title.font = { bold: true, size: 14 };
    ws.mergeCells(1, 1, 1, Math.max(1, sheet.columns.length));
    const header = ws.addRow(sheet.columns);
    header.font = { bold: true };
    header.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE6F0' } };
      c.border = { bottom: { style: 'thin' } };
    });
    for (const row of sheet.rows) ws.addRow(row);
    if (sheet.rows.length === 0) ws.addRow(['（本日无）']);
    sheet.columns.forEach((name, i) => {
      const widest = Math.max(width(name), ...sheet.rows.map((r) => width(r[i] ?? '')));
      ws.getColumn(i + 1).width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
