// The road network as a graph of vertices, for vehicles that drive along it.
// Vertices are keyed by exact coordinates: roads that meet share a vertex.
import type { FeatureCollection, LineString } from 'geojson';
import { distanceMeters } from '../geo/distance.ts';

export interface RoadGraph {
  /** Vertex coordinates, [lng, lat] per vertex index. */
  vertices: [number, number][];
  /** Neighbour vertex indices per vertex. */
  edges: number[][];
}

export function buildRoadGraph(roads: FeatureCollection<LineString>): RoadGraph {
  const index = new Map<string, number>();
  const vertices: [number, number][] = [];
  const edges: number[][] = [];
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
  for (const feature of roads.features) {
    const coords = feature.geometry.coordinates;
    for (let k = 1; k < coords.length; k++) {
      const [ax, ay] = coords[k - 1] as [number, number];
      const [bx, by] = coords[k] as [number, number];
      const a = vertexOf(ax, ay);
      const b = vertexOf(bx, by);
      if (a === b) continue;
      if (!edges[a]!.includes(b)) edges[a]!.push(b);
      if (!edges[b]!.includes(a)) edges[b]!.push(a);
    }
  }
  return { vertices, edges };
}

/** The vertex nearest a point (linear scan: the graph has a few thousand vertices). */
export function nearestVertex(graph: RoadGraph, lng: number, lat: number): number {
  let best = 0;
  let bestD = Infinity;
  graph.vertices.forEach(([x, y], i) => {
    const d = distanceMeters(lng, lat, x, y);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Degrees clockwise from north for travel from a to b. */
export function headingDegrees(a: [number, number], b: [number, number]): number {
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const dy = b[1] - a[1];
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return ((deg % 360) + 360) % 360;
}
