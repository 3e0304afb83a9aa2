// `npx tsx scripts/bench-road-import.ts` (SIZE=300 by default): a road import of a seeded
// lattice network over the sample county's extent, SIZE × SIZE OSM nodes (a trunk line every
// 40th row and column, tertiary every 10th, residential between; a share of the residential
// streets one-way), written as OSM XML: how long reading and building the network take, and
// then routing on it (the router's first search from a target, a cached one, and coverage's
// search from a unit to every grid). One `name: value unit` line per figure.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Polygon } from 'geojson';
import { buildRoadSet, grownBbox } from '../server/imports/roads/build-road-set.ts';
import { readRoadFile } from '../server/imports/roads/read-road-file.ts';
import { GraphRouter } from '../server/routing/graph-router.ts';
import { GraphReach } from '../server/routing/reach.ts';
import { DEFAULT_ROAD_SPEEDS_KMH } from '../server/routing/road-speeds.ts';
import type { LngLat } from '../server/schema/index.ts';
import { mulberry32 } from './county/prng.ts';

const SIZE = Number(process.env.SIZE ?? 300);
const outline = (JSON.parse(readFileSync('data/guazhou/county.geojson', 'utf8')) as FeatureCollection<Polygon>).features[0]!;
const area = grownBbox(outline.geometry.coordinates.flat(), 20);
const [w, s, e, n] = area;
const random = mulberry32(16);

const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="bench">\n'];
const id = (i: number, j: number) => i * SIZE + j + 1;
for (let i = 0; i < SIZE; i++)
  for (let j = 0; j < SIZE; j++) parts.push(`<node id="${id(i, j)}" lat="${(s + ((n - s) * i) / (SIZE - 1)).toFixed(7)}" lon="${(w + ((e - w) * j) / (SIZE - 1)).toFixed(7)}"/>\n`);
let way = 1;
const line = (refs: number[], k: number) => {
  const highway = k % 40 === 0 ? 'trunk' : k % 10 === 0 ? 'tertiary' : 'residential';
  const oneway = highway === 'residential' && random() < 0.1 ? '<tag k="oneway" v="yes"/>' : '';
  parts.push(`<way id="${way++}">${refs.map((r) => `<nd ref="${r}"/>`).join('')}<tag k="highway" v="${highway}"/>${oneway}</way>\n`);
};
for (let i = 0; i < SIZE; i++)
  line(
    Array.from({ length: SIZE }, (_, j) => id(i, j)),
    i,
  );
for (let j = 0; j < SIZE; j++)
  line(
    Array.from({ length: SIZE }, (_, i) => id(i, j)),
    j,
  );
parts.push('</osm>\n');
const bytes = new TextEncoder().encode(parts.join(''));

const t0 = performance.now();
const read = await readRoadFile(bytes);
if (!read.ok) throw new Error(read.message);
const t1 = performance.now();
const set = buildRoadSet({ roads: read.roads, osm: true, crs: 'wgs84', area, speeds: DEFAULT_ROAD_SPEEDS_KMH });
const t2 = performance.now();
const router = new GraphRouter(set.network);
const t3 = performance.now();
const at = (): LngLat => [w + (e - w) * random(), s + (n - s) * random()];
const units = Array.from({ length: 17 }, (_, i) => ({ id: `A${i}`, at: at() }));
const target = at();
const t4 = performance.now();
await router.etas(target, units);
const t5 = performance.now();
await router.etas(target, units);
await router.route(units[0]!.at, target);
const t6 = performance.now();
const grids = Array.from({ length: 689 }, at);
const reach = new GraphReach(set.network, grids, 2 * 60 * 60);
const t7 = performance.now();
reach.secondsFrom(units[0]!.at);
const t8 = performance.now();
const mb = (bytes.length / 1e6).toFixed(1);
console.log(`road-import.read: ${(t1 - t0).toFixed(0)} ms (${mb} MB OSM XML, ${read.roads.length} ways, ${SIZE * SIZE} nodes)`);
console.log(
  `road-import.build: ${(t2 - t1).toFixed(0)} ms (${set.summary.vertices} vertices, ${set.summary.edges} edges, ${set.summary.km.toFixed(0)} km, ${set.components.count} piece(s))`,
);
console.log(`road-router.build: ${(t3 - t2).toFixed(0)} ms (reversed edges, vertex index)`);
console.log(`road-router.etas-first: ${(t5 - t4).toFixed(0)} ms (17 units, one search from the target over the whole network)`);
console.log(`road-router.etas-cached-and-route: ${(t6 - t5).toFixed(1)} ms`);
console.log(`road-reach.build: ${(t7 - t6).toFixed(0)} ms (689 grid points)`);
console.log(`road-reach.search: ${(t8 - t7).toFixed(0)} ms (one unit to every grid, bounded at 2 h)`);
console.log(`road-import.heap: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
