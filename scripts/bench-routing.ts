// Part of `npm run bench`: ranking 1,000 units by road ETA to a pickup on a network of real
// size. A generated road lattice (ROWS × COLS vertices about 250 m apart around the sample
// county's seat: county roads every 10th line, a national road every 40th, village roads
// between; some roads one-way) with at least 200,000 edges; 1,000 units at random vertices.
// The board's router (GraphRouter.etas: one Dijkstra from the pickup over the reversed edges
// ranks every unit) beside the maintained library ngraph.path (A*, one search per unit, as a
// router that searches unit by unit would), on the same queries, with the ETAs compared.
// QUERIES (default 200, after WARMUP 40) for the board's router, LIB_QUERIES (default 1: a
// thousand A* searches take about two minutes) for ngraph.path.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { distanceMeters } from '../server/geo/distance.ts';
import { GraphRouter } from '../server/routing/graph-router.ts';
import { reversedNetwork } from '../server/routing/road-network.ts';
import { shortestPathsFrom } from '../server/routing/shortest-paths.ts';
import type { LngLat } from '../server/schema/index.ts';
import { mulberry32 } from '../server/simulator/random.ts';

const ROWS = Number(process.env.ROWS ?? 320);
const COLS = Number(process.env.COLS ?? 320);
const UNITS = Number(process.env.UNITS ?? 1000);
const QUERIES = Number(process.env.QUERIES ?? 200);
const LIB_QUERIES = Number(process.env.LIB_QUERIES ?? 1);
/** Rankings before the timed ones: the process warmed up and the router's cache of searches full, as in a board that has run a while. */
const WARMUP = Number(process.env.WARMUP ?? 40);
const STEP_DEG = 0.00225; // about 250 m of latitude, 190 m of longitude at 40.5° N
const [LNG0, LAT0] = [95.4, 40.15];

const random = mulberry32(2022);
const point = (r: number, c: number): [number, number] => {
  // Jitter from the vertex's own seed, so the rows and the columns share each vertex exactly.
  const j = mulberry32(r * 100_003 + c);
  return [Math.round((LNG0 + c * STEP_DEG + (j() - 0.5) * STEP_DEG * 0.4) * 1e6) / 1e6, Math.round((LAT0 + r * STEP_DEG + (j() - 0.5) * STEP_DEG * 0.4) * 1e6) / 1e6];
};
const classOf = (i: number) => (i % 40 === 0 ? 'national' : i % 10 === 0 ? 'county' : 'village');
const features: Feature<LineString>[] = [];
for (let r = 0; r < ROWS; r++) {
  const oneway = r % 10 === 5 ? 'yes' : undefined; // a few one-way village streets
  features.push({
    type: 'Feature',
    properties: { class: classOf(r), ...(oneway ? { oneway } : {}) },
    geometry: { type: 'LineString', coordinates: Array.from({ length: COLS }, (_, c) => point(r, c)) },
  });
}
for (let c = 0; c < COLS; c++)
  features.push({ type: 'Feature', properties: { class: classOf(c) }, geometry: { type: 'LineString', coordinates: Array.from({ length: ROWS }, (_, r) => point(r, c)) } });
const roads: FeatureCollection<LineString> = { type: 'FeatureCollection', features };

const t0 = performance.now();
const router = new GraphRouter(roads);
const buildMs = performance.now() - t0;
const network = router.network;
const edgeCount = network.edges.reduce((n, e) => n + e.length, 0);
const vertexAt = (v: number): LngLat => network.vertices[v]!;
const randomVertex = () => Math.floor(random() * network.vertices.length);
const units: { id: string; vertex: number; at: LngLat }[] = Array.from({ length: UNITS }, (_, i) => ({ id: `U${i}`, vertex: randomVertex() })).map((u) => ({
  ...u,
  at: vertexAt(u.vertex),
}));
const pickups = Array.from({ length: WARMUP + QUERIES }, () => randomVertex());
console.log(
  `network: ${network.vertices.length.toLocaleString('en')} vertices, ${edgeCount.toLocaleString('en')} directed edges (${(edgeCount / 2).toLocaleString('en')} roads between vertices), built in ${(buildMs / 1000).toFixed(1)} s; ${UNITS} units`,
);

// The board's router: one ranking per pickup (its cache holds recent pickups: each query is a new
// one). Between queries a tenth of the fleet moves to somewhere new, off the road's vertices.
const times: number[] = [];
const jitter = () => (random() - 0.5) * STEP_DEG * 0.6;
for (const p of pickups) {
  for (let k = 0; k < UNITS / 10; k++) {
    const u = units[Math.floor(random() * UNITS)]!;
    u.at = [vertexAt(randomVertex())[0] + jitter(), vertexAt(randomVertex())[1] + jitter()];
  }
  const s = performance.now();
  const etas = await router.etas(vertexAt(p), units);
  [...etas.values()].filter(Boolean).sort((a, b) => a!.etaSeconds - b!.etaSeconds);
  times.push(performance.now() - s);
}
times.splice(0, WARMUP);
if (process.env.DEBUG_TIMES)
  console.log(
    times
      .map((t, i) => [i, Math.round(t)])
      .sort((a, b) => b[1]! - a[1]!)
      .slice(0, 8),
  );
const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;

// ngraph.path: the same roads as an oriented graph, A* with an admissible bound (straight line at the fastest speed).
const graph = createGraph<LngLat, { seconds: number }>();
network.vertices.forEach((v, i) => graph.addNode(i, v));
network.edges.forEach((list, a) => list.forEach((e) => graph.addLink(a, e.to, { seconds: e.seconds })));
const fastest = 80 / 3.6;
const finder = ngraphPath.aStar(graph, {
  oriented: true,
  distance: (_a, _b, link) => link.data.seconds,
  heuristic: (a, b) => distanceMeters(a.data[0], a.data[1], b.data[0], b.data[1]) / fastest,
});
const reversed = reversedNetwork(network);
// ngraph.path and the check: each unit at its own vertex (the search's figures, without the legs off the network).
const libTimes: number[] = [];
let compared = 0;
let worst = 0;
for (const p of pickups.slice(WARMUP, WARMUP + LIB_QUERIES)) {
  const exact = shortestPathsFrom(reversed, p).seconds;
  const s = performance.now();
  const found = units.map((u) => finder.find(u.vertex, p)); // ngraph returns the path from the end back to the start
  libTimes.push(performance.now() - s);
  units.forEach((u, i) => {
    const nodes = found[i]!;
    if (nodes.length === 0) return;
    let seconds = 0;
    for (let k = nodes.length - 1; k > 0; k--) seconds += graph.getLink(nodes[k]!.id, nodes[k - 1]!.id)!.data.seconds;
    compared++;
    worst = Math.max(worst, Math.abs(seconds - exact[u.vertex]!) / Math.max(1, exact[u.vertex]!));
  });
}
const median = (xs: number[]) => q(xs, 0.5);
console.log(`routing.recommend.p50: ${median(times).toFixed(1)} ms (GraphRouter.etas: one search ranks ${UNITS} units; ${QUERIES} pickups after ${WARMUP} to warm up)`);
console.log(`routing.recommend.p99: ${q(times, 0.99).toFixed(1)} ms (goal < 50 ms)`);
if (libTimes.length)
  console.log(
    `routing.ngraph-path.median: ${median(libTimes).toFixed(0)} ms (ngraph.path A*, one search per unit, ${UNITS} units; ${libTimes.length} pickups) = ${(median(libTimes) / median(times)).toFixed(0)}× the board's router`,
  );
if (compared) console.log(`routing.agreement: ${compared} unit ETAs compared, largest difference ${(worst * 100).toFixed(4)} % of the ETA`);
