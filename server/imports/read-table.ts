// Reads an uploaded CSV or XLSX file into a table of text cells: the first worksheet of a
// workbook, or the CSV (UTF-8 with or without a BOM, else GB18030, as Chinese Excel saves
// it). Both go through exceljs (its CSV reader is fast-csv). Row numbers are the file's own
// (header = 1), so the report points at the row a user sees in Excel.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export interface Table {
  headings: string[];
  /** Data rows that are not empty, with their row number in the file. */
  rows: { row: number; cells: string[] }[];
}

export type FileFormat = 'csv' | 'xlsx';

/** XLSX files are ZIP archives: they start with "PK\x03\x04". */
export const looksLikeXlsx = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** The file's text: UTF-8 (a BOM dropped) when it is valid UTF-8, else GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a user sees; times of day (Excel keeps them as dates in 1899) as HH:MM. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date) {
    return value.getUTCFullYear() < 1901 ? `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}` : value.toISOString().slice(0, 16).replace('T', ' ');
  }
  if (value && typeof value === 'object' && 'result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
  return cell.text ?? '';
}

function tableOf(sheet: ExcelJS.Worksheet | undefined): Table {
  if (!sheet) return { headings: [], rows: [] };
  const width = Math.min(sheet.columnCount, 200);
  const textRow = (r: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(r.getCell(i + 1)).trim());
  let headings: string[] = [];
  const rows: Table['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (r, number) => {
    if (number === 1) headings = textRow(r);
    else {
      const cells = textRow(r);
      if (cells.some((c) => c !== '')) rows.push({ row: number, cells });
    }
  });
  return { headings, rows };
}

/** Throws (with a message for people) when the bytes are not a readable file of the format. */
export async function readTable(bytes: Uint8Array, format: FileFormat = looksLikeXlsx(bytes) ? 'xlsx' : 'csv'): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  if (format === 'xlsx') {
    try {
      await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
    } catch {
      throw new Error('无法读取 Excel 文件 (not a readable XLSX workbook)');
    }
    return tableOf(workbook.worksheets[0]);
  }
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  // Every value as text: numbers are read by the column table, not guessed by the reader.
  const sheet = await workbook.csv.read(Readable.from([text]), { map: (value: unknown) => (value === undefined || value === null ? '' : String(value)) });
  return tableOf(sheet);
}
