// A daily report as one CSV file: the title, then each sheet under its name with its
// header row, a blank line between. UTF-8 with a byte-order mark so that Excel (as the
// county's offices open it) reads the Chinese right; CRLF line ends (RFC 4180). A text
// cell that a spreadsheet would run as a formula (= + - @) is prefixed with ' .
import type { DailyReport } from '../domain/daily-report.ts';

/** One CSV field: quoted when it must be, and never a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as a CSV file for Excel: BOM, CRLF. */
export function csvFile(lines: string[]): string {
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function reportCsv(report: DailyReport): string {
  const lines: string[] = [csvCell(report.title)];
  for (const sheet of report.sheets) {
    lines.push('', csvCell(sheet.name), sheet.columns.map(csvCell).join(','));
    for (const row of sheet.rows) lines.push(row.map(csvCell).join(','));
  }
  return csvFile(lines);
}
