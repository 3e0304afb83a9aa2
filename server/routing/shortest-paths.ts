// Dijkstra from one vertex to all others with a binary heap over flat arrays: the time and
// distance to every vertex and the predecessor tree to read routes back from.
import type { RoadNetwork } from './road-network.ts';

export interface ShortestPaths {
  seconds: Float64Array;
  meters: Float64Array;
  /** Previous vertex on the fastest path from the source; -1 at the source and where unreachable. */
  previous: Int32Array;
}

/** A network's edges packed into flat arrays (CSR), made once per network: the search walks them without touching an object. */
interface Packed {
  offsets: Int32Array;
  heads: Int32Array;
  seconds: Float64Array;
  meters: Float64Array;
  /** The search's heap, reused (one search at a time: JavaScript runs one). */
  heapTime: Float64Array;
  heapVertex: Int32Array;
}
const packed = new WeakMap<RoadNetwork, Packed>();

function pack(network: RoadNetwork): Packed {
  let p = packed.get(network);
  if (p) return p;
  const n = network.vertices.length;
  const offsets = new Int32Array(n + 1);
  let m = 0;
  for (let v = 0; v < n; v++) {
    offsets[v] = m;
    m += network.edges[v]!.length;
  }
  offsets[n] = m;
  const heads = new Int32Array(m);
  const seconds = new Float64Array(m);
  const meters = new Float64Array(m);
  for (let v = 0, k = 0; v < n; v++) {
    for (const e of network.edges[v]!) {
      heads[k] = e.to;
      seconds[k] = e.seconds;
      meters[k++] = e.meters;
    }
  }
  // Lazy deletion pushes a vertex at most once per incoming edge, plus the source.
  p = { offsets, heads, seconds, meters, heapTime: new Float64Array(m + 1), heapVertex: new Int32Array(m + 1) };
  packed.set(network, p);
  return p;
}

/** `into`: an earlier result of the same network to overwrite (a cache's evicted entry), so a search allocates nothing. */
export function shortestPathsFrom(network: RoadNetwork, source: number, into?: ShortestPaths): ShortestPaths {
  const n = network.vertices.length;
  const { offsets, heads, seconds: edgeSeconds, meters: edgeMeters, heapTime, heapVertex } = pack(network);
  const reuse = into && into.seconds.length === n;
  const seconds = reuse ? into.seconds.fill(Infinity) : new Float64Array(n).fill(Infinity);
  const meters = reuse ? into.meters.fill(Infinity) : new Float64Array(n).fill(Infinity);
  const previous = reuse ? into.previous.fill(-1) : new Int32Array(n).fill(-1);
  // Binary heap of (seconds, vertex); stale entries are skipped when popped.
  let size = 0;
  const push = (t: number, v: number) => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapTime[parent]! <= t) break;
      heapTime[i] = heapTime[parent]!;
      heapVertex[i] = heapVertex[parent]!;
      i = parent;
    }
    heapTime[i] = t;
    heapVertex[i] = v;
  };
  const pop = (): number => {
    const top = heapVertex[0]!;
    size--;
    const lastT = heapTime[size]!;
    const lastV = heapVertex[size]!;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && heapTime[r]! < heapTime[l]! ? r : l;
        if (heapTime[c]! >= lastT) break;
        heapTime[i] = heapTime[c]!;
        heapVertex[i] = heapVertex[c]!;
        i = c;
      }
      heapTime[i] = lastT;
      heapVertex[i] = lastV;
    }
    return top;
  };
  seconds[source] = 0;
  meters[source] = 0;
  push(0, source);
  while (size > 0) {
    const t0 = heapTime[0]!;
    const v = pop();
    const sv = seconds[v]!;
    if (t0 > sv) continue; // a stale entry: v was settled sooner
    for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
      const to = heads[k]!;
      const t = sv + edgeSeconds[k]!;
      if (t < seconds[to]!) {
        seconds[to] = t;
        meters[to] = meters[v]! + edgeMeters[k]!;
        previous[to] = v;
        push(t, to);
      }
    }
  }
  return { seconds, meters, previous };
}

/** Vertices from `target` back to the source of `paths` (target first). */
export function pathTo(paths: ShortestPaths, target: number): number[] {
  if (!Number.isFinite(paths.seconds[target]!)) return [];
  const out: number[] = [];
  for (let v = target; v !== -1; v = paths.previous[v]!) out.push(v);
  return out;
}
