// A vehicle driving a random walk along the road graph: it never turns back
// except at a dead end. Pure state plus a random source, so tests can seed it.
import { distanceMeters } from '../geo/distance.ts';
import { headingDegrees, type RoadGraph } from './road-graph.ts';

export interface Walker {
  from: number;
  to: number;
  /** Metres travelled along the current edge. */
  along: number;
}

export interface WalkerPosition {
  lng: number;
  lat: number;
  heading: number;
}

export function startWalker(graph: RoadGraph, vertex: number, random: () => number): Walker {
  const next = pickNext(graph, vertex, -1, random);
  return { from: vertex, to: next, along: 0 };
}

function pickNext(graph: RoadGraph, at: number, came: number, random: () => number): number {
  const options = graph.edges[at] ?? [];
  const forward = options.filter((v) => v !== came);
  const choices = forward.length > 0 ? forward : options;
  if (choices.length === 0) return at;
  return choices[Math.floor(random() * choices.length)] ?? at;
}

/** Advances the walker by `meters` along the roads, in place. */
export function advance(graph: RoadGraph, walker: Walker, meters: number, random: () => number): void {
  let left = meters;
  for (let guard = 0; guard < 1000 && left > 0; guard++) {
    const a = graph.vertices[walker.from]!;
    const b = graph.vertices[walker.to]!;
    const length = distanceMeters(a[0], a[1], b[0], b[1]);
    if (walker.from === walker.to || walker.along + left < length) {
      walker.along += left;
      return;
    }
    left -= length - walker.along;
    const next = pickNext(graph, walker.to, walker.from, random);
    walker.from = walker.to;
    walker.to = next;
    walker.along = 0;
  }
}

export function positionOf(graph: RoadGraph, walker: Walker): WalkerPosition {
  const a = graph.vertices[walker.from]!;
  const b = graph.vertices[walker.to]!;
  const length = distanceMeters(a[0], a[1], b[0], b[1]);
  const t = length > 0 ? Math.min(1, walker.along / length) : 0;
  return {
    lng: Math.round((a[0] + (b[0] - a[0]) * t) * 1e6) / 1e6,
    lat: Math.round((a[1] + (b[1] - a[1]) * t) * 1e6) / 1e6,
    heading: Math.round(headingDegrees(a, b)) % 360,
  };
}
