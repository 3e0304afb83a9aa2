// Reads an uploaded CSV or XLSX file into a table of text cells: the first worksheet of a
// workbook, or the CSV (UTF-8 with or without a BOM, else GB18030, as Chinese Excel saves
// it). Both go through exceljs (its CSV reader is fast-csv). Row numbers are the file's own
// (header = 1), so the report points at the row a user sees in Excel.
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { iter } from 'but-unzip';
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

/** Unpacked, a county's site table is a few megabytes: a workbook that unpacks to more is refused (a zip bomb). */
export const MAX_XLSX_UNZIPPED_BYTES = 32 * 1024 * 1024;

/** The file unpacks past the limit: refused before exceljs reads it whole (413). */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Excel 文件解压后超过 ${Math.round(limit / 1024 / 1024)} MB，请拆分后再导入 (the workbook unpacks to more than ${Math.round(limit / 1024 / 1024)} MB)`);
  }
}

/** Inflates every entry within the allowance (zlib stops at it), so nothing larger is ever held. */
async function checkUnzippedSize(bytes: Uint8Array, limit: number): Promise<void> {
  let total = 0;
  const inflate = (raw: Uint8Array): Uint8Array => {
    try {
      return inflateRawSync(raw, { maxOutputLength: Math.max(1, limit - total) });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new FileTooLargeError(limit);
      throw err;
    }
  };
  for (const entry of iter(bytes, inflate)) {
    total += (await entry.read()).length;
    if (total > limit) throw new FileTooLargeError(limit);
  }
}

/**
 * Throws (with a message for people) when the bytes are not a readable file of the format;
 * FileTooLargeError when a workbook unpacks past `maxUnzippedBytes`.
 */
export async function readTable(
  bytes: Uint8Array,
  format: FileFormat = looksLikeXlsx(bytes) ? 'xlsx' : 'csv',
  { maxUnzippedBytes = MAX_XLSX_UNZIPPED_BYTES }: { maxUnzippedBytes?: number } = {},
): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  if (format === 'xlsx') {
    try {
      await checkUnzippedSize(bytes, maxUnzippedBytes);
      await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
    } catch (err) {
      if (err instanceof FileTooLargeError) throw err;
      throw new Error('无法读取 Excel 文件 (not a readable XLSX workbook)', { cause: err });
    }
    return tableOf(workbook.worksheets[0]);
  }
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  // Every value as text: numbers are read by the column table, not guessed by the reader.
  const sheet = await workbook.csv.read(Readable.from([text]), { map: (value: unknown) => (value === undefined || value === null ? '' : String(value)) });
  return tableOf(sheet);
}
