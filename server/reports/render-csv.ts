// A daily report as one CSV file: the title, then each sheet under its name with its
// header row, a blank line between. UTF-8 with a byte-order mark so that Excel (as the
// county's offices open it) reads the Chinese right; CRLF line ends (RFC 4180). A text
// cell that a spreadsheet would run as a formula (= + - @) is prefixed with ' .
import type { DailyReport } from '../domain/daily-report.ts';

function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(report: DailyReport): string {
  const lines: string[] = [cell(report.title)];
  for (const sheet of report.sheets) {
    lines.push('', cell(sheet.name), sheet.columns.map(cell).join(','));
    for (const row of sheet.rows) lines.push(row.map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
