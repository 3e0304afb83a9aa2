// `npm run bench`: grid lookups per second on the same 100,000 random points in
// the sample county's bounding box, for this project's index, which-polygon and
// a naive loop with @turf/boolean-point-in-polygon. Checks that all three agree
// off the grid edges. Prints one `name: value unit` line per figure.
import { readFileSync } from 'node:fs';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import whichPolygon from 'which-polygon';
import { buildGridIndex } from '../server/geo/grid-index.ts';
import { mulberry32 } from '../server/simulator/random.ts';

const fc = JSON.parse(readFileSync('data/guazhou/grids.geojson', 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { id: string }>;
const N = 100_000;
const RUNS = 7;

let minX = Infinity,
  minY = Infinity,
  maxX = -Infinity,
  maxY = -Infinity;
for (const f of fc.features) {
  const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
  for (const ring of rings)
    for (const [x, y] of ring) {
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    }
}
const random = mulberry32(2022);
const xs = new Float64Array(N);
const ys = new Float64Array(N);
for (let i = 0; i < N; i++) {
  xs[i] = minX + random() * (maxX - minX);
  ys[i] = minY + random() * (maxY - minY);
}

const buildStart = process.hrtime.bigint();
const index = buildGridIndex(fc.features);
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
const which = whichPolygon(fc);
const idToIndex = new Map(fc.features.map((f, i) => [f.properties.id, i]));
const naive = (x: number, y: number): number => {
  const pt: [number, number] = [x, y];
  for (let i = 0; i < fc.features.length; i++) if (booleanPointInPolygon(pt, fc.features[i]!)) return i;
  return -1;
};
const viaWhich = (x: number, y: number): number => {
  const props = which([x, y]) as { id: string } | null;
  return props ? idToIndex.get(props.id)! : -1;
};
const viaIndex = (x: number, y: number): number => index.locate(x, y);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

let sink = 0;
/** Lookups per second of one timed pass over the first `count` points. */
function rate(fn: (x: number, y: number) => number, count: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sink += fn(xs[i]!, ys[i]!);
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

// Agreement: a disagreement only counts when the point is not within 1e-9° of an edge
// (boundary rules legitimately differ between libraries there).
let agree = 0;
let onEdge = 0;
const disagreements: string[] = [];
for (let i = 0; i < N; i++) {
  const a = viaIndex(xs[i]!, ys[i]!);
  const b = viaWhich(xs[i]!, ys[i]!);
  const c = naive(xs[i]!, ys[i]!);
  if (a === b && b === c) {
    agree++;
    continue;
  }
  const e = 1e-9;
  const nudged = [viaIndex(xs[i]! + e, ys[i]!), viaIndex(xs[i]! - e, ys[i]!), viaIndex(xs[i]!, ys[i]! + e), viaIndex(xs[i]!, ys[i]! - e)];
  if (new Set(nudged).size > 1) onEdge++;
  else disagreements.push(`${xs[i]},${ys[i]}: index ${a}, which-polygon ${b}, naive ${c}`);
}

// One warm-up pass each, then timed runs interleaved so a busy machine slows all three alike.
const NAIVE_N = 10_000;
const NAIVE_RUNS = 3;
const runs = { index: [] as number[], which: [] as number[], naive: [] as number[] };
rate(viaIndex, N);
rate(viaWhich, N);
rate(naive, NAIVE_N);
for (let r = 0; r < RUNS; r++) {
  runs.index.push(rate(viaIndex, N));
  runs.which.push(rate(viaWhich, N));
  if (r < NAIVE_RUNS) runs.naive.push(rate(naive, NAIVE_N));
}
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
const indexRate = median(runs.index);
const whichRate = median(runs.which);
const naiveRate = median(runs.naive);
const range = (v: number[]) => `${Math.round(Math.min(...v))}–${Math.round(Math.max(...v))}`;

console.log(`grids: ${fc.features.length} polygons`);
console.log(`build.index: ${buildMs.toFixed(0)} ms`);
console.log(`locate.index: ${Math.round(indexRate)} lookups/s (median of ${RUNS} runs, ${N} points; range ${range(runs.index)})`);
console.log(`locate.which-polygon: ${Math.round(whichRate)} lookups/s (median of ${RUNS} runs, ${N} points; range ${range(runs.which)})`);
console.log(`locate.naive-turf: ${Math.round(naiveRate)} lookups/s (median of ${NAIVE_RUNS} runs, first ${NAIVE_N} points only: too slow for all; range ${range(runs.naive)})`);
console.log(`ratio.index/which-polygon: ${(indexRate / whichRate).toFixed(2)} x`);
console.log(`ratio.index/naive: ${(indexRate / naiveRate).toFixed(1)} x`);
console.log(`agree: ${agree}/${N} points (${onEdge} on a grid edge)`);
if (disagreements.length > 0) {
  console.error(`DISAGREE on ${disagreements.length} points off the edges, e.g.\n${disagreements.slice(0, 5).join('\n')}`);
  process.exit(1);
}
