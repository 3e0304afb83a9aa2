// Rerunning the generator reproduces the committed sample county byte for byte.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateCounty } from '../../scripts/generate-county.ts';

it('regenerates data/guazhou byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'county-'));
  try {
    const t0 = performance.now();
    generateCounty(dir);
    console.log(`generateCounty: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['basemap.pmtiles', 'county.geojson', 'decontamination-points.json', 'grids.geojson', 'live-seed.json', 'roads.geojson', 'terminals.json', 'towns.json']);
    for (const f of files) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join('data/guazhou', f))), f).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
