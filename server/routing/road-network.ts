// The county's roads as a weighted graph: vertices keyed by exact coordinates (roads
// that meet share a vertex), edges with their length and the time an ambulance needs for
// them: at the road's own `kmh` (an imported network carries it) or its class's speed, both
// ways unless the road is `oneway` (then from its first position to its last).
import type { FeatureCollection, LineString } from 'geojson';
import { distanceMeters } from '../geo/distance.ts';
import { DEFAULT_ROAD_SPEED_KMH, DEFAULT_ROAD_SPEEDS_KMH, type SpeedTable } from './road-speeds.ts';

export interface Edge {
  to: number;
  meters: number;
  seconds: number;
}

export interface RoadNetwork {
  /** [lng, lat] per vertex index. */
  vertices: [number, number][];
  /** Outgoing edges per vertex. */
  edges: Edge[][];
  /** Vertex by `lng,lat` (as built from roads). */
  index?: Map<string, number>;
}

export function buildRoadNetwork(roads: FeatureCollection<LineString>, speeds: SpeedTable = DEFAULT_ROAD_SPEEDS_KMH): RoadNetwork {
  const index = new Map<string, number>();
  const vertices: [number, number][] = [];
  const edges: Edge[][] = [];
  const vertexOf = (lng: number, lat: number): number => {
    const key = `${lng},${lat}`;
    let i = index.get(key);
    if (i === undefined) {
      i = vertices.length;
      index.set(key, i);
      vertices.push([lng, lat]);
      edges.push([]);
    }
    return i;
  };
  const link = (a: number, b: number, meters: number, seconds: number) => {
    const list = edges[a]!;
    const existing = list.find((e) => e.to === b);
    if (!existing) list.push({ to: b, meters, seconds });
    else if (seconds < existing.seconds) Object.assign(existing, { meters, seconds });
  };
  for (const feature of roads.features) {
    const own = Number(feature.properties?.kmh);
    const kmh = own > 0 ? own : (speeds[String(feature.properties?.class ?? '')] ?? DEFAULT_ROAD_SPEED_KMH);
    const oneway = feature.properties?.oneway === true;
    const coords = feature.geometry.coordinates;
    for (let k = 1; k < coords.length; k++) {
      const [ax, ay] = coords[k - 1] as [number, number];
      const [bx, by] = coords[k] as [number, number];
      const a = vertexOf(ax, ay);
      const b = vertexOf(bx, by);
      if (a === b) continue;
      const meters = distanceMeters(ax, ay, bx, by);
      const seconds = meters / (kmh / 3.6);
      link(a, b, meters, seconds);
      if (!oneway) link(b, a, meters, seconds);
    }
  }
  return { vertices, edges, index };
}

/** The same vertices with every edge turned round (a two-way road stays two-way). */
export function reversedNetwork(network: RoadNetwork): RoadNetwork {
  const edges: Edge[][] = network.vertices.map(() => []);
  network.edges.forEach((out, from) => {
    for (const e of out) edges[e.to]!.push({ to: from, meters: e.meters, seconds: e.seconds });
  });
  return { vertices: network.vertices, edges };
}

/** The vertex nearest a point, and how far it is (linear scan: the county has a few hundred vertices). */
export function nearestVertex(network: { vertices: [number, number][] }, lng: number, lat: number): { vertex: number; meters: number } {
  let vertex = 0;
  let meters = Infinity;
  network.vertices.forEach(([x, y], i) => {
    const d = distanceMeters(lng, lat, x, y);
    if (d < meters) {
      meters = d;
      vertex = i;
    }
  });
  return { vertex, meters };
}
