// Part of `npm run bench`: keeping the coverage map current (server/routing/coverage-index.ts)
// with 1,000 vehicles on a 200,000-edge road network — a seeded lattice over the county's
// extent (317 × 317 vertices, 200,344 road segments, each both ways; every 20th row and
// column a national road at 80 km/h, every 5th a county road at 50, the rest 40) — to the
// sample county's 689 grids:
// - one unit's status change: it leaves service, or comes back somewhere new (one search);
// - fixes: every vehicle driving along the lattice at 60 km/h, one fix a second each; the
//   figure is the whole cost of the fixes divided by their number (searches included).
// VEHICLES (default 1000), CHANGES (default 200), FIXES (default 30000) change the load.
import { loadCounty } from '../server/county/county.ts';
import { buildGridLayer } from '../server/county/grid-layer.ts';
import { CoverageIndex, type UnitState } from '../server/routing/coverage-index.ts';
import { GraphReach } from '../server/routing/reach.ts';
import type { Edge, RoadNetwork } from '../server/routing/road-network.ts';
import { distanceMeters } from '../server/geo/distance.ts';
import { mulberry32 } from '../server/simulator/random.ts';
import type { LngLat } from '../server/schema/index.ts';

const VEHICLES = Number(process.env.VEHICLES ?? 1000);
const CHANGES = Number(process.env.CHANGES ?? 200);
const FIXES = Number(process.env.FIXES ?? 30_000);
const SIDE = 317;
const [WEST, SOUTH, EAST, NORTH] = [95.2, 40.1, 97.0, 41.4];

function lattice(): RoadNetwork {
  const vertices: [number, number][] = [];
  const edges: Edge[][] = [];
  for (let r = 0; r < SIDE; r++)
    for (let c = 0; c < SIDE; c++) {
      vertices.push([WEST + ((EAST - WEST) * c) / (SIDE - 1), SOUTH + ((NORTH - SOUTH) * r) / (SIDE - 1)]);
      edges.push([]);
    }
  const kmh = (line: number) => (line % 20 === 0 ? 80 : line % 5 === 0 ? 50 : 40);
  const link = (a: number, b: number, speed: number) => {
    const [ax, ay] = vertices[a]!;
    const [bx, by] = vertices[b]!;
    const meters = distanceMeters(ax, ay, bx, by);
    const seconds = meters / (speed / 3.6);
    edges[a]!.push({ to: b, meters, seconds });
    edges[b]!.push({ to: a, meters, seconds });
  };
  for (let r = 0; r < SIDE; r++)
    for (let c = 0; c < SIDE; c++) {
      const v = r * SIDE + c;
      if (c + 1 < SIDE) link(v, v + 1, kmh(r));
      if (r + 1 < SIDE) link(v, v + SIDE, kmh(c));
    }
  return { vertices, edges };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const county = await loadCounty('data/guazhou');
const layer = buildGridLayer(county.grids, county.gridsJson);
const targets = layer.props.map((p) => layer.gridPoint(p.id)!);
const network = lattice();
const segments = network.edges.reduce((n, e) => n + e.length, 0) / 2;
const buildStart = performance.now();
const reach = new GraphReach(network, targets, 2 * 60 * 60);
const buildMs = performance.now() - buildStart;
const index = new CoverageIndex(targets.length, 300);
const random = mulberry32(1018);

// The fleet: 40 % negative-pressure, two thirds in service, each on a random vertex heading to a neighbour.
interface Vehicle {
  state: UnitState;
  from: number;
  to: number;
  /** Metres along from → to. */
  along: number;
}
const vertexAt = (v: number): LngLat => network.vertices[v]!;
const fleet: Vehicle[] = Array.from({ length: VEHICLES }, (_, i) => {
  const from = Math.floor(random() * network.vertices.length);
  const to = network.edges[from]![Math.floor(random() * network.edges[from]!.length)]!.to;
  return { state: { id: `V${i}`, cls: i % 5 < 2 ? 'negative-pressure' : 'ordinary', eligible: random() < 2 / 3, at: vertexAt(from) }, from, to, along: 0 };
});
const apply = (u: UnitState) => index.update(u, index.needsRow(u) ? reach.secondsFrom(u.at!) : undefined);
const loadStart = performance.now();
for (const v of fleet) apply(v.state);
const loadMs = performance.now() - loadStart;

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

// Status changes: a unit in service leaves it; one out of service comes back at another vertex (a search).
const leave: number[] = [];
const back: number[] = [];
const backCpu: number[] = [];
for (let k = 0; k < CHANGES; k++) {
  const v = fleet[Math.floor(random() * fleet.length)]!;
  if (!v.state.eligible) {
    v.from = Math.floor(random() * network.vertices.length);
    v.to = network.edges[v.from]![0]!.to;
    v.along = 0;
    v.state = { ...v.state, eligible: true, at: vertexAt(v.from) };
  } else v.state = { ...v.state, eligible: false };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  apply(v.state);
  (v.state.eligible ? back : leave).push(performance.now() - t0);
  if (v.state.eligible) backCpu.push(cpuMs(c0));
}

// Fixes: 1 Hz at 60 km/h along the lattice, turning at random at each vertex.
const step = 60 / 3.6;
const searchesBefore = index.searches;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let k = 0; k < FIXES; k++) {
  const v = fleet[k % fleet.length]!;
  const [ax, ay] = vertexAt(v.from);
  const [bx, by] = vertexAt(v.to);
  const length = distanceMeters(ax, ay, bx, by);
  v.along += step;
  if (v.along >= length) {
    v.along -= length;
    v.from = v.to;
    const next = network.edges[v.from]!;
    v.to = next[Math.floor(random() * next.length)]!.to;
  }
  const [cx, cy] = vertexAt(v.from);
  const [dx, dy] = vertexAt(v.to);
  const f = Math.min(1, v.along / distanceMeters(cx, cy, dx, dy));
  v.state = { ...v.state, at: [cx + (dx - cx) * f, cy + (dy - cy) * f] };
  apply(v.state);
}
const fixMs = (performance.now() - t0) / FIXES;
// CPU time too: on a machine shared with other work, wall time counts the waits for a core.
const fixCpuMs = cpuMs(cpu0) / FIXES;
const searches = index.searches - searchesBefore;

console.log(`coverage.network: ${network.vertices.length} vertices, ${segments} edges; ${targets.length} grids; ${VEHICLES} vehicles`);
console.log(`coverage.build: ${buildMs.toFixed(0)} ms (pack the graph, index the vertices), first load of the fleet ${loadMs.toFixed(0)} ms`);
console.log(
  `coverage.status-change.back.median: ${median(back).toFixed(2)} ms (${median(backCpu).toFixed(2)} ms CPU; ${back.length} units back in service at a new place: one search; goal < 100 ms)`,
);
console.log(`coverage.status-change.leave.median: ${median(leave).toFixed(2)} ms (${leave.length} units leaving service: no search)`);
console.log(`coverage.fix.amortised: ${fixMs.toFixed(3)} ms per fix (${fixCpuMs.toFixed(3)} ms CPU; ${FIXES} fixes at 1 Hz, 60 km/h; ${searches} searches; goal < 1 ms)`);
