// The built-in router: fastest paths over the county's road graph (Dijkstra from the
// target over the edges reversed, so one search serves every unit and one-way streets are
// driven their way), with the legs from a point to its nearest road vertex (a flatbush
// query) driven off the network at a slower speed along a detour factor.
import type { FeatureCollection, LineString } from 'geojson';
import { distanceMeters } from '../geo/distance.ts';
import type { LngLat } from '../schema/index.ts';
import { buildRoadNetwork, reversedNetwork, type RoadNetwork } from './road-network.ts';
import { VertexIndex } from './vertex-index.ts';
import type { Eta, Route, RouteProvider } from './router.ts';
import { pathTo, shortestPathsFrom, type ShortestPaths } from './shortest-paths.ts';

/** Off the network: village tracks and streets, km/h. */
export const OFF_ROAD_KMH = 25;
/** Straight line to actual way off the network. */
export const DETOUR_FACTOR = 1.3;

/** Positions whose nearest vertex is kept (a few per unit of a large fleet). */
const JOIN_CACHE = 20_000;

const offRoad = (meters: number): Eta => ({ distanceMeters: meters * DETOUR_FACTOR, etaSeconds: (meters * DETOUR_FACTOR) / (OFF_ROAD_KMH / 3.6) });

export class GraphRouter implements RouteProvider {
  readonly name = 'graph';
  readonly network: RoadNetwork;
  /** The same roads with every edge turned round: searched from a target, it gives the times to it. */
  private readonly reversed: RoadNetwork;
  private readonly index: VertexIndex;
  /** Searches from recent targets: a dispatcher re-asks for the same call as units move. */
  private readonly cache = new Map<number, ShortestPaths>();
  /** As many as fit in about 64 MB (20 bytes a vertex each): 64 on the sample county, a few on a large network. */
  private readonly cacheSize: number;

  constructor(roads: FeatureCollection<LineString> | RoadNetwork) {
    this.network = 'vertices' in roads ? roads : buildRoadNetwork(roads);
    this.reversed = reversedNetwork(this.network);
    this.index = new VertexIndex(this.network.vertices);
    this.cacheSize = Math.max(2, Math.min(64, Math.floor((64 * 1024 * 1024) / (20 * this.network.vertices.length))));
  }

  /** Where each recent position joins the network: a unit standing at its station asks again and again. */
  private readonly joins = new Map<string, { vertex: number; meters: number }>();

  private nearest(at: LngLat) {
    const key = `${at[0]},${at[1]}`;
    let join = this.joins.get(key);
    if (!join) {
      join = this.index.nearest(at[0], at[1]);
      if (this.joins.size >= JOIN_CACHE) this.joins.clear();
      this.joins.set(key, join);
    }
    return join;
  }

  private pathsFrom(vertex: number): ShortestPaths {
    let paths = this.cache.get(vertex);
    if (!paths) {
      // The oldest search's arrays take the new one (nothing holds a search across an await).
      let evicted: ShortestPaths | undefined;
      if (this.cache.size >= this.cacheSize) {
        const oldest = this.cache.keys().next().value!;
        evicted = this.cache.get(oldest);
        this.cache.delete(oldest);
      }
      paths = shortestPathsFrom(this.reversed, vertex, evicted);
      this.cache.set(vertex, paths);
    }
    return paths;
  }

  /** The best way from `from` to `to`: over the roads, or straight across when that is faster. */
  private best(from: LngLat, to: LngLat, target: { vertex: number; meters: number }, paths: ShortestPaths) {
    const start = this.nearest(from);
    const access = offRoad(start.meters);
    const egress = offRoad(target.meters);
    const viaRoad: Eta = {
      etaSeconds: access.etaSeconds + paths.seconds[start.vertex]! + egress.etaSeconds,
      distanceMeters: access.distanceMeters + paths.meters[start.vertex]! + egress.distanceMeters,
    };
    const direct = offRoad(distanceMeters(from[0], from[1], to[0], to[1]));
    return direct.etaSeconds <= viaRoad.etaSeconds || !Number.isFinite(viaRoad.etaSeconds) ? { eta: direct, startVertex: -1 } : { eta: viaRoad, startVertex: start.vertex };
  }

  async etas(target: LngLat, units: { id: string; at: LngLat }[]): Promise<Map<string, Eta | null>> {
    const t = this.nearest(target);
    const paths = this.pathsFrom(t.vertex);
    const out = new Map<string, Eta | null>();
    for (const unit of units) {
      const { eta } = this.best(unit.at, target, t, paths);
      out.set(unit.id, Number.isFinite(eta.etaSeconds) ? eta : null);
    }
    return out;
  }

  async route(from: LngLat, to: LngLat): Promise<Route | null> {
    const t = this.nearest(to);
    const paths = this.pathsFrom(t.vertex);
    const { eta, startVertex } = this.best(from, to, t, paths);
    if (!Number.isFinite(eta.etaSeconds)) return null;
    // pathTo walks the reversed search's tree back to its source, the target: already unit → target.
    const road = startVertex < 0 ? [] : pathTo(paths, startVertex).map((v) => this.network.vertices[v]!);
    return { ...eta, geometry: [from, ...road, to] };
  }
}
