// `npm run check:have [doc.xml]`: validates an EDXL-HAVE export against the OASIS
// EDXL-HAVE 1.0 schema with xmllint (Debian's libxml2-utils). Without a file it checks
// the export of the sample county's hospitals (data/guazhou, or DATA_DIR). The schema
// set is the copy in test/fixtures/edxl-have-1.0 (provenance in its README).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hospitalsHaveXml } from '../server/exports/edxl-have.ts';
import { loadCounty } from '../server/county/county.ts';

export const HAVE_SCHEMA = fileURLToPath(new URL('../test/fixtures/edxl-have-1.0/external/edxl-have/1.0/edxl-have.xsd', import.meta.url));

export interface Validation {
  valid: boolean;
  /** xmllint's messages (each names the line and the rule broken). */
  messages: string;
}

/** Runs `xmllint --schema` over the document; throws when xmllint is not installed. */
export function validateHave(xml: string, schema = HAVE_SCHEMA): Validation {
  const dir = mkdtempSync(join(tmpdir(), 'have-'));
  try {
    const file = join(dir, 'hospitals-have.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
    if (run.error) throw new Error(`xmllint is not installed (apt-get install libxml2-utils): ${run.error.message}`);
    return { valid: run.status === 0, messages: `${run.stderr}${run.stdout}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  const xml = file ? readFileSync(file, 'utf8') : hospitalsHaveXml((await loadCounty(process.env.DATA_DIR ?? 'data/guazhou')).seed.hospitals, Date.now);
  const result = validateHave(xml);
  console.log(result.messages);
  console.log(`check:have: ${result.valid ? 'valid' : 'INVALID'} against EDXL-HAVE 1.0 (${file ?? 'the sample county export'})`);
  process.exit(result.valid ? 0 : 1);
}
