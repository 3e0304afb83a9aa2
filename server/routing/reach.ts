// How long from one place to every grid of the county over the roads: the coverage
// map's building block (server/routing/coverage-index.ts keeps one such row per unit).
// The road graph is packed once into flat arrays (CSR), the nearest road vertex is a
// flatbush query, and one bounded Dijkstra from the unit's vertex settles every grid's
// vertex: typed arrays, no allocation per search. The legs on and off the network are
// the graph router's (off-road speed along a detour factor), and straight across wins
// where it is faster, so a grid's figure is what GET /api/dispatch/recommend would say.
import { distanceMeters } from '../geo/distance.ts';
import type { LngLat } from '../schema/index.ts';
import { DETOUR_FACTOR, OFF_ROAD_KMH } from './graph-router.ts';
import type { RoadNetwork } from './road-network.ts';
import { VertexIndex } from './vertex-index.ts';

/** Seconds off the network for a straight-line distance. */
export const offRoadSeconds = (meters: number): number => (meters * DETOUR_FACTOR) / (OFF_ROAD_KMH / 3.6);

/** Times from one place to every target (a grid's point), seconds; Infinity past the bound. */
export interface ReachProvider {
  readonly targetCount: number;
  secondsFrom(at: LngLat): Float64Array | Promise<Float64Array>;
}

export class GraphReach implements ReachProvider {
  readonly targetCount: number;
  private readonly offsets: Int32Array;
  private readonly heads: Int32Array;
  private readonly weights: Float64Array;
  private readonly index: VertexIndex;
  /** Each target's nearest vertex and its leg off the network. */
  private readonly targetVertex: Int32Array;
  private readonly targetEgress: Float64Array;
  private readonly targetLng: Float64Array;
  private readonly targetLat: Float64Array;
  // Scratch for the search, reused.
  private readonly dist: Float64Array;
  private readonly touched: Int32Array;
  private readonly heapKey: Float64Array;
  private readonly heapVertex: Int32Array;
  /** Targets per vertex (CSR), so the search can stop once every target's vertex is settled. */
  private readonly isTarget: Uint8Array;
  private readonly distinctTargets: number;

  /**
   * @param maxSeconds the search stops here (a grid further off than every threshold needs no exact figure).
   */
  constructor(
    network: RoadNetwork,
    targets: readonly LngLat[],
    private readonly maxSeconds = Infinity,
  ) {
    const n = network.vertices.length;
    if (n === 0) throw new Error('GraphReach: the road network has no vertices');
    this.offsets = new Int32Array(n + 1);
    let m = 0;
    for (let v = 0; v < n; v++) {
      this.offsets[v] = m;
      m += network.edges[v]!.length;
    }
    this.offsets[n] = m;
    this.heads = new Int32Array(m);
    this.weights = new Float64Array(m);
    for (let v = 0, k = 0; v < n; v++) {
      for (const e of network.edges[v]!) {
        this.heads[k] = e.to;
        this.weights[k++] = e.seconds;
      }
    }
    this.index = new VertexIndex(network.vertices);

    this.targetCount = targets.length;
    this.targetVertex = new Int32Array(targets.length);
    this.targetEgress = new Float64Array(targets.length);
    this.targetLng = new Float64Array(targets.length);
    this.targetLat = new Float64Array(targets.length);
    this.isTarget = new Uint8Array(n);
    let distinct = 0;
    targets.forEach(([lng, lat], i) => {
      const { vertex, meters } = this.nearest(lng, lat);
      this.targetVertex[i] = vertex;
      this.targetEgress[i] = offRoadSeconds(meters);
      this.targetLng[i] = lng;
      this.targetLat[i] = lat;
      if (!this.isTarget[vertex]) distinct++;
      this.isTarget[vertex] = 1;
    });
    this.distinctTargets = distinct;
    this.dist = new Float64Array(n).fill(Infinity);
    this.touched = new Int32Array(n);
    this.heapKey = new Float64Array(m + 1);
    this.heapVertex = new Int32Array(m + 1);
  }

  /** The road vertex nearest a point, and how far it is in metres. */
  nearest(lng: number, lat: number): { vertex: number; meters: number } {
    return this.index.nearest(lng, lat);
  }

  /** Seconds from `at` to every target (a fresh array). */
  secondsFrom(at: LngLat, out = new Float64Array(this.targetCount)): Float64Array {
    const start = this.nearest(at[0], at[1]);
    const access = offRoadSeconds(start.meters);
    this.search(start.vertex, this.maxSeconds - access);
    for (let i = 0; i < this.targetCount; i++) {
      const viaRoad = access + this.dist[this.targetVertex[i]!]! + this.targetEgress[i]!;
      const direct = offRoadSeconds(distanceMeters(at[0], at[1], this.targetLng[i]!, this.targetLat[i]!));
      const best = direct < viaRoad ? direct : viaRoad;
      out[i] = best <= this.maxSeconds ? best : Infinity;
    }
    this.reset();
    return out;
  }

  private touchedCount = 0;

  /** Dijkstra from `source` into this.dist, stopping past `bound` or once every target's vertex is settled. */
  private search(source: number, bound: number): void {
    const { dist, touched, heapKey, heapVertex, offsets, heads, weights, isTarget } = this;
    let settledTargets = 0;
    dist[source] = 0;
    touched[this.touchedCount++] = source;
    heapKey[0] = 0;
    heapVertex[0] = source;
    let size = 1;
    while (size > 0) {
      const d: number = heapKey[0]!;
      const v: number = heapVertex[0]!;
      // Pop: move the last entry to the root and sift it down.
      size--;
      if (size > 0) {
        const k = heapKey[size]!;
        const x = heapVertex[size]!;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const c = r < size && heapKey[r]! < heapKey[l]! ? r : l;
          if (heapKey[c]! >= k) break;
          heapKey[i] = heapKey[c]!;
          heapVertex[i] = heapVertex[c]!;
          i = c;
        }
        heapKey[i] = k;
        heapVertex[i] = x;
      }
      if (d > dist[v]!) continue; // a stale entry
      if (d > bound) break;
      if (isTarget[v] && ++settledTargets === this.distinctTargets) break;
      for (let e: number = offsets[v]!, end: number = offsets[v + 1]!; e < end; e++) {
        const w = heads[e]!;
        const t = d + weights[e]!;
        if (t < dist[w]!) {
          if (dist[w] === Infinity) touched[this.touchedCount++] = w;
          dist[w] = t;
          // Push and sift up.
          let i = size++;
          while (i > 0) {
            const p = (i - 1) >> 1;
            if (heapKey[p]! <= t) break;
            heapKey[i] = heapKey[p]!;
            heapVertex[i] = heapVertex[p]!;
            i = p;
          }
          heapKey[i] = t;
          heapVertex[i] = w;
        }
      }
    }
  }

  private reset(): void {
    for (let i = 0; i < this.touchedCount; i++) this.dist[this.touched[i]!] = Infinity;
    this.touchedCount = 0;
  }
}
