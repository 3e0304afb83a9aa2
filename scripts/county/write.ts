// Deterministic JSON files: two-space indentation, keys in the order the
// generator built them, coordinate pairs kept on one line, a final newline.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An array of plain numbers, as JSON.stringify laid it out over several lines. */
const NUMBER_ARRAY = /\[\s+(-?\d[\d.eE+-]*(?:,\s+-?\d[\d.eE+-]*)*)\s+\]/g;

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(NUMBER_ARRAY, (_, body: string) => `[${body.split(/,\s+/).join(', ')}]`)}\n`;
}

export function writeJson(dir: string, file: string, value: unknown): void {
  writeFileSync(join(dir, file), formatJson(value));
}
