// The county's roads as a weighted graph: vertices keyed by exact coordinates (roads
// that meet share a vertex), edges both ways with their length and the time an
// ambulance needs for them at its road class's speed.
import type { FeatureCollection, LineString } from 'geojson';
import { distanceMeters } from '../geo/distance.ts';

/** Ambulance travel speeds by road class, km/h (with lights and siren, rural Gansu). */
export const ROAD_SPEED_KMH: Record<string, number> = {
  expressway: 100,
  motorway: 100,
  national: 80,
  provincial: 70,
  county: 50,
};
export const DEFAULT_ROAD_SPEED_KMH = 40;

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
}

export function buildRoadNetwork(roads: FeatureCollection<LineString>): RoadNetwork {
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
    const kmh = ROAD_SPEED_KMH[String(feature.properties?.class ?? '')] ?? DEFAULT_ROAD_SPEED_KMH;
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
      link(b, a, meters, seconds);
    }
  }
  return { vertices, edges };
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
