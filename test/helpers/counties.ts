// Other real counties generated into temp dirs for the tests (npm run county's own code):
// 三台县 (Sichuan, 462 villages, five times Guazhou's) and 吴川市 (Guangdong, on the coast,
// a multipolygon outline). Each is generated once per test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCounty, type GenerateSummary } from '../../scripts/generate-county.ts';

export const OTHER_COUNTIES = [
  { code: '510722', name: '三台县', province: '四川省', grids: 600 },
  { code: '440883', name: '吴川市', province: '广东省', grids: undefined },
] as const;

export interface GeneratedCounty {
  dir: string;
  summary: GenerateSummary;
  remove(): void;
}

export function generateInTemp(code: string, grids?: number): GeneratedCounty {
  const dir = mkdtempSync(join(tmpdir(), `county-${code}-`));
  const summary = generateCounty(dir, { code, grids });
  return { dir, summary, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
