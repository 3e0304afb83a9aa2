// The built-in router on the sample county's real road file: Dijkstra against an
// exhaustive all-pairs computation (Floyd–Warshall) on the same graph, and the ETA
// ranking of units against the same legs priced by brute force.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, LineString } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { distanceMeters } from '../../server/geo/distance.ts';
import { DETOUR_FACTOR, GraphRouter, OFF_ROAD_KMH } from '../../server/routing/graph-router.ts';
import { buildRoadNetwork, nearestVertex, type RoadNetwork } from '../../server/routing/road-network.ts';
import { shortestPathsFrom } from '../../server/routing/shortest-paths.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import type { LngLat } from '../../server/schema/index.ts';

const roads = JSON.parse(readFileSync('data/guazhou/roads.geojson', 'utf8')) as FeatureCollection<LineString>;

function floydWarshall(network: RoadNetwork): Float64Array[] {
  const n = network.vertices.length;
  const d = Array.from({ length: n }, () => new Float64Array(n).fill(Infinity));
  for (let i = 0; i < n; i++) {
    d[i]![i] = 0;
    for (const e of network.edges[i]!) d[i]![e.to] = Math.min(d[i]![e.to]!, e.seconds);
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      const dik = d[i]![k]!;
      if (dik === Infinity) continue;
      for (let j = 0; j < n; j++) if (dik + d[k]![j]! < d[i]![j]!) d[i]![j] = dik + d[k]![j]!;
    }
  return d;
}

describe('the road graph router', () => {
  let network: RoadNetwork;
  let all: Float64Array[];
  beforeAll(() => {
    network = buildRoadNetwork(roads);
    all = floydWarshall(network);
  });

  it('is one connected network whose edges run both ways', () => {
    expect(network.vertices.length).toBeGreaterThan(100);
    for (let i = 0; i < network.vertices.length; i++)
      for (const e of network.edges[i]!) expect(network.edges[e.to]!.some((back) => back.to === i && back.seconds === e.seconds)).toBe(true);
    const from0 = shortestPathsFrom(network, 0);
    expect([...from0.seconds].every(Number.isFinite)).toBe(true);
  });

  it('finds exactly the fastest times an exhaustive all-pairs search finds', () => {
    for (let source = 0; source < network.vertices.length; source += 7) {
      const paths = shortestPathsFrom(network, source);
      for (let v = 0; v < network.vertices.length; v++) expect(paths.seconds[v]).toBeCloseTo(all[source]![v]!, 6);
    }
  });

  it('gives the same answer in an earlier search’s arrays as in fresh ones (the router’s cache reuses them)', () => {
    const reused = shortestPathsFrom(network, 3);
    const arrays = reused.seconds;
    for (const source of [11, 40, 0]) {
      const again = shortestPathsFrom(network, source, reused);
      expect(again.seconds).toBe(arrays);
      const fresh = shortestPathsFrom(network, source);
      expect([...again.seconds]).toEqual([...fresh.seconds]);
      expect([...again.meters]).toEqual([...fresh.meters]);
      expect([...again.previous]).toEqual([...fresh.previous]);
    }
  });

  it('ranks units by ETA exactly as pricing every leg by brute force does', async () => {
    const router = new GraphRouter(network);
    const random = mulberry32(5);
    const [w, s, e, n] = [95.3, 40.2, 96.9, 41.2];
    const at = (): LngLat => [w + (e - w) * random(), s + (n - s) * random()];
    const offRoad = (m: number) => (m * DETOUR_FACTOR) / (OFF_ROAD_KMH / 3.6);
    for (let round = 0; round < 20; round++) {
      const target = at();
      const units = Array.from({ length: 40 }, (_, i) => ({ id: `U${i}`, at: at() }));
      const etas = await router.etas(target, units);
      const t = nearestVertex(network, target[0], target[1]);
      const expected = units.map((u) => {
        const start = nearestVertex(network, u.at[0], u.at[1]);
        const viaRoad = offRoad(start.meters) + all[start.vertex]![t.vertex]! + offRoad(t.meters);
        const direct = offRoad(distanceMeters(u.at[0], u.at[1], target[0], target[1]));
        return { id: u.id, eta: Math.min(viaRoad, direct) };
      });
      for (const x of expected) expect(etas.get(x.id)!.etaSeconds).toBeCloseTo(x.eta, 6);
      const rank = (list: { id: string; eta: number }[]) => [...list].sort((a, b) => a.eta - b.eta).map((x) => x.id);
      expect(rank(units.map((u) => ({ id: u.id, eta: etas.get(u.id)!.etaSeconds })))).toEqual(rank(expected));
    }
  });

  it('returns a route from the unit to the target along adjacent road vertices', async () => {
    const router = new GraphRouter(network);
    // Liuyuan in the north to the seat in the south: far enough to need the roads.
    const from: LngLat = [95.45, 41.1];
    const to: LngLat = [95.78, 40.52];
    const route = (await router.route(from, to))!;
    expect(route.geometry[0]).toEqual(from);
    expect(route.geometry.at(-1)).toEqual(to);
    const road = route.geometry.slice(1, -1);
    expect(road.length).toBeGreaterThan(2);
    const index = new Map(network.vertices.map((v, i) => [v.join(','), i]));
    for (let k = 1; k < road.length; k++) {
      const a = index.get(road[k - 1]!.join(','))!;
      const b = index.get(road[k]!.join(','))!;
      expect(network.edges[a]!.some((e) => e.to === b)).toBe(true);
    }
    const etas = await router.etas(to, [{ id: 'x', at: from }]);
    expect(route.etaSeconds).toBeCloseTo(etas.get('x')!.etaSeconds, 6);
    // About 70 km on roads at 50–100 km/h: between 30 and 90 minutes.
    expect(route.etaSeconds / 60).toBeGreaterThan(30);
    expect(route.etaSeconds / 60).toBeLessThan(90);
  });
});
