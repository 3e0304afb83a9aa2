// The connected pieces of a road network (either direction of an edge connects: a one-way
// street still joins two roads), with the road length in each: an import's report says how
// much of the network is one piece and where the islands are (a unit or a village on one
// is reached off-road only, or not at all). Union-find over flat arrays.
import type { RoadNetwork } from './road-network.ts';

export interface RoadComponent {
  /** Length of its roads, each segment once whichever ways it is driven. */
  meters: number;
  vertices: number;
  /** Its vertex nearest the mean of its vertices: a point on it to show. */
  at: [number, number];
}

export interface RoadComponents {
  /** Component of each vertex, 0 the longest, then by length. */
  of: Int32Array;
  /** Longest first. */
  components: RoadComponent[];
  totalMeters: number;
}

export function roadComponents(network: RoadNetwork): RoadComponents {
  const n = network.vertices.length;
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  const rootMeters = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (const e of network.edges[a]!) {
      const ra = find(a);
      const rb = find(e.to);
      if (ra !== rb) parent[ra] = rb;
    }
  }
  let totalMeters = 0;
  for (let a = 0; a < n; a++) {
    for (const e of network.edges[a]!) {
      // A two-way segment is two edges: counted from its lower vertex only.
      if (e.to < a && network.edges[e.to]!.some((back) => back.to === a)) continue;
      rootMeters[find(a)]! += e.meters;
      totalMeters += e.meters;
    }
  }
  const roots = new Map<number, { meters: number; members: number[] }>();
  for (let v = 0; v < n; v++) {
    const r = find(v);
    let c = roots.get(r);
    if (!c) roots.set(r, (c = { meters: rootMeters[r]!, members: [] }));
    c.members.push(v);
  }
  const sorted = [...roots.values()].sort((x, y) => y.meters - x.meters || y.members.length - x.members.length);
  const of = new Int32Array(n);
  const components = sorted.map((c, i) => {
    let sx = 0;
    let sy = 0;
    for (const v of c.members) {
      of[v] = i;
      sx += network.vertices[v]![0];
      sy += network.vertices[v]![1];
    }
    const mx = sx / c.members.length;
    const my = sy / c.members.length;
    let at = network.vertices[c.members[0]!]!;
    let best = Infinity;
    for (const v of c.members) {
      const [x, y] = network.vertices[v]!;
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < best) {
        best = d;
        at = network.vertices[v]!;
      }
    }
    return { meters: c.meters, vertices: c.members.length, at: [at[0], at[1]] as [number, number] };
  });
  return { of, components, totalMeters };
}
