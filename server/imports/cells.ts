// Reading one cell by its column's type: the value, or why it cannot be read (in Chinese).
import type { ColumnType } from './columns.ts';

export type CellValue = string | number | boolean | string[] | { open: string; close: string } | null;
export type CellResult = { ok: true; value: CellValue } | { ok: false; message: string };

const ALL_DAY = /^(24\s*(小时|h|hours?)|全天|00:00\s*[-–—~～至到]\s*24:00)$/i;
const RANGE = /^(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})$/;
const TRUE = new Set(['是', '启用', '已启用', '开放', 'true', 'yes', 'y', '1']);
const FALSE = new Set(['否', '未启用', '停用', '关闭', 'false', 'no', 'n', '0']);

const time = (h: string, m: string) => (Number(h) <= 24 && Number(m) < 60 ? `${h.padStart(2, '0')}:${m}` : null);

export function readCell(text: string, type: ColumnType, label: string): CellResult {
  const t = text.trim();
  switch (type.kind) {
    case 'text':
      return { ok: true, value: t };
    case 'int':
    case 'number': {
      const n = Number(t.replace(/[,，\s]/g, ''));
      if (!Number.isFinite(n) || t === '') return { ok: false, message: `「${label}」不是有效的数字：${t}` };
      if (type.kind === 'int' && (!Number.isInteger(n) || n < 0)) return { ok: false, message: `「${label}」应为非负整数：${t}` };
      return { ok: true, value: n };
    }
    case 'enum': {
      const key = t.toLowerCase();
      const found = Object.entries(type.values).find(([value, words]) => value === key || words.some((w) => w.toLowerCase() === key));
      if (found) return { ok: true, value: found[0] };
      return {
        ok: false,
        message: `未知的${label}「${t}」，可填：${Object.values(type.values)
          .map((w) => w[0])
          .join('、')}`,
      };
    }
    case 'hours': {
      if (ALL_DAY.test(t)) return { ok: true, value: null };
      const m = RANGE.exec(t);
      const open = m && time(m[1]!, m[2]!);
      const close = m && time(m[3]!, m[4]!);
      if (open && close) return { ok: true, value: { open, close } };
      return { ok: false, message: `「${label}」格式应为 07:30-19:00 或 24小时：${t}` };
    }
    case 'bool': {
      const key = t.toLowerCase();
      if (TRUE.has(key)) return { ok: true, value: true };
      if (FALSE.has(key)) return { ok: true, value: false };
      return { ok: false, message: `「${label}」应填 是 或 否：${t}` };
    }
    case 'list':
      return { ok: true, value: t.split(/[、，,;；/\s]+/).filter(Boolean) };
  }
}
