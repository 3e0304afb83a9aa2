import { describe, expect, it } from 'vitest';
import type { FeatureCollection, LineString } from 'geojson';
import { distanceMeters } from '../../server/geo/distance.ts';
import { buildRoadGraph, headingDegrees, nearestVertex } from '../../server/simulator/road-graph.ts';
import { advance, positionOf, startWalker } from '../../server/simulator/road-walker.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { nextStatus } from '../../server/simulator/ambulance-duty.ts';

// A T junction: west–east road and a spur north from its middle vertex.
const roads: FeatureCollection<LineString> = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [95.0, 40.0],
          [95.1, 40.0],
          [95.2, 40.0],
        ],
      },
    },
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [95.1, 40.0],
          [95.1, 40.1],
        ],
      },
    },
  ],
};

describe('road graph and walker', () => {
  it('joins roads at shared vertices', () => {
    const g = buildRoadGraph(roads);
    expect(g.vertices).toHaveLength(4);
    const middle = nearestVertex(g, 95.1, 40.0);
    expect(g.edges[middle]?.slice().sort()).toHaveLength(3);
  });

  it('keeps a vehicle on the roads and covers the distance asked', () => {
    const g = buildRoadGraph(roads);
    const random = mulberry32(7);
    const w = startWalker(g, nearestVertex(g, 95.0, 40.0), random);
    const start = positionOf(g, w);
    advance(g, w, 5000, random);
    const p = positionOf(g, w);
    expect(p.lat).toBe(40);
    expect(distanceMeters(start.lng, start.lat, p.lng, p.lat)).toBeCloseTo(5000, -1);
    for (let i = 0; i < 200; i++) {
      advance(g, w, 1234, random);
      const q = positionOf(g, w);
      const onMain = q.lat === 40 && q.lng >= 95 && q.lng <= 95.2;
      const onSpur = Math.abs(q.lng - 95.1) < 1e-9 && q.lat >= 40 && q.lat <= 40.1;
      expect(onMain || onSpur).toBe(true);
    }
  });

  it('headings are clockwise from north', () => {
    expect(headingDegrees([95, 40], [95, 41])).toBeCloseTo(0);
    expect(headingDegrees([95, 40], [96, 40])).toBeCloseTo(90);
    expect(headingDegrees([95, 40], [95, 39])).toBeCloseTo(180);
    expect(headingDegrees([95, 40], [94, 40])).toBeCloseTo(270);
  });

  it('negative-pressure units are disinfected after hand-over; ordinary ones are not', () => {
    expect(nextStatus('handed-over', 'negative-pressure')).toBe('disinfecting');
    expect(nextStatus('disinfecting', 'negative-pressure')).toBe('available');
    expect(nextStatus('handed-over', 'ordinary')).toBe('available');
  });
});
