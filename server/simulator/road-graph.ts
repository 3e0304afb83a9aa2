// The road network as plain adjacency, for simulated vehicles that drive along it
// (the weighted network the router uses, without the weights).
import type { FeatureCollection, LineString } from 'geojson';
import { buildRoadNetwork, nearestVertex as nearestRoadVertex } from '../routing/road-network.ts';

export interface RoadGraph {
  /** Vertex coordinates, [lng, lat] per vertex index. */
  vertices: [number, number][];
  /** Neighbour vertex indices per vertex. */
  edges: number[][];
}

export function buildRoadGraph(roads: FeatureCollection<LineString>): RoadGraph {
  const network = buildRoadNetwork(roads);
  return { vertices: network.vertices, edges: network.edges.map((list) => list.map((e) => e.to)) };
}

/** The vertex nearest a point. */
export function nearestVertex(graph: RoadGraph, lng: number, lat: number): number {
  return nearestRoadVertex(graph, lng, lat).vertex;
}

/** Degrees clockwise from north for travel from a to b. */
export function headingDegrees(a: [number, number], b: [number, number]): number {
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const dy = b[1] - a[1];
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return ((deg % 360) + 360) % 360;
}
