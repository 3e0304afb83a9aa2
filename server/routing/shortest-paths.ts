// Dijkstra from one vertex to all others with a binary heap: the time and distance
// to every vertex and the predecessor tree to read routes back from.
import type { RoadNetwork } from './road-network.ts';

export interface ShortestPaths {
  seconds: Float64Array;
  meters: Float64Array;
  /** Previous vertex on the fastest path from the source; -1 at the source and where unreachable. */
  previous: Int32Array;
}

export function shortestPathsFrom(network: RoadNetwork, source: number): ShortestPaths {
  const n = network.vertices.length;
  const seconds = new Float64Array(n).fill(Infinity);
  const meters = new Float64Array(n).fill(Infinity);
  const previous = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  // Heap of [seconds, vertex]; stale entries are skipped when popped.
  const heapTime: number[] = [];
  const heapVertex: number[] = [];
  const push = (t: number, v: number) => {
    let i = heapTime.length;
    heapTime.push(t);
    heapVertex.push(v);
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
    const lastT = heapTime.pop()!;
    const lastV = heapVertex.pop()!;
    const size = heapTime.length;
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
  while (heapTime.length > 0) {
    const v = pop();
    if (done[v]) continue;
    done[v] = 1;
    for (const e of network.edges[v]!) {
      const t = seconds[v]! + e.seconds;
      if (t < seconds[e.to]!) {
        seconds[e.to] = t;
        meters[e.to] = meters[v]! + e.meters;
        previous[e.to] = v;
        push(t, e.to);
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
