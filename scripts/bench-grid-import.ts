// `npm run bench` (part): how long a grid import of the county's 689 grids takes to read
// and check (self-intersections, overlaps between every pair whose boxes meet, gaps
// against the outline), the report an admin waits for before committing. Median of
// RUNS runs; one `name: value unit` line per figure.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Polygon } from 'geojson';
import { readGridFile } from '../server/imports/grids/read-grid-file.ts';
import { validateGrids } from '../server/imports/grids/validate-grids.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const outline = (JSON.parse(readFileSync('data/guazhou/county.geojson', 'utf8')) as FeatureCollection<Polygon>).features[0]!;
const towns = JSON.parse(readFileSync('data/guazhou/towns.json', 'utf8')) as { code: string; name: string }[];
const bytes = readFileSync('data/guazhou/grids.geojson');

const readMs: number[] = [];
const checkMs: number[] = [];
let features = 0;
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const read = await readGridFile(bytes);
  if (!read.ok) throw new Error(read.message);
  const t1 = performance.now();
  const report = await validateGrids({ file: read.file, crs: 'wgs84', outline, gazetteer: { towns, villages: [] }, currentIds: [] });
  const t2 = performance.now();
  if (report.errors.length > 0) throw new Error(`the sample grids should check clean: ${report.errors.length} errors`);
  features = report.summary.features;
  readMs.push(t1 - t0);
  checkMs.push(t2 - t1);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `range ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(`grid-import.read: ${median(readMs).toFixed(0)} ms (median of ${RUNS} runs, ${features} grids, ${(bytes.length / 1e6).toFixed(1)} MB GeoJSON; ${range(readMs)})`);
console.log(`grid-import.check: ${median(checkMs).toFixed(0)} ms (median of ${RUNS} runs; ${range(checkMs)})`);
