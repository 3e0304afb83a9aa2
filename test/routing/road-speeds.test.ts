// The speed table, posted limits and one-way tags, as tables; and the network built from
// roads honouring each road's own speed and direction.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROAD_SPEEDS_KMH, directionOf, maxspeedKmh, roadSpeedKmh, speedTableOf } from '../../server/routing/road-speeds.ts';
import { buildRoadNetwork } from '../../server/routing/road-network.ts';

describe('road speeds', () => {
  it.each([
    ['trunk', undefined, 85],
    ['residential', undefined, 25],
    ['motorway', '120', 90],
    ['primary', '30', 30],
    ['primary', '20 mph', 32.18688],
    ['primary', 'CN:urban', 65],
    ['national', undefined, 80],
    ['gravel', undefined, 40],
  ])('%s with maxspeed %s: %d km/h', (cls, maxspeed, kmh) => {
    expect(roadSpeedKmh(cls, maxspeed, DEFAULT_ROAD_SPEEDS_KMH)).toBeCloseTo(kmh, 4);
  });

  it.each([
    ['50', 50],
    ['50 km/h', 50],
    ['30 mph', 48.28032],
    ['none', null],
    ['signals', null],
    ['0', null],
    [undefined, null],
  ])('maxspeed %s reads as %s', (value, kmh) => {
    const read = maxspeedKmh(value);
    if (kmh === null) expect(read).toBeNull();
    else expect(read).toBeCloseTo(kmh, 4);
  });

  it('ROAD_SPEEDS_KMH overrides the defaults; a bad entry is refused', () => {
    expect(speedTableOf('residential=30, track=10')).toMatchObject({ residential: 30, track: 10, trunk: 85 });
    expect(speedTableOf('')).toEqual(DEFAULT_ROAD_SPEEDS_KMH);
    expect(speedTableOf('residential=fast')).toBeNull();
    expect(speedTableOf('residential=0')).toBeNull();
    expect(speedTableOf('Residential=30')).toBeNull();
  });
});

describe('one-way tags', () => {
  it.each([
    [{ oneway: 'yes' }, 'trunk', 'forward'],
    [{ oneway: 'true' }, 'trunk', 'forward'],
    [{ oneway: '1' }, 'trunk', 'forward'],
    [{ oneway: '-1' }, 'trunk', 'backward'],
    [{ oneway: 'reverse' }, 'trunk', 'backward'],
    [{ oneway: 'no' }, 'motorway', 'both'],
    [{}, 'motorway', 'forward'],
    [{}, 'motorway_link', 'both'],
    [{ junction: 'roundabout' }, 'tertiary', 'forward'],
    [{}, 'expressway', 'both'],
    [{ oneway: 'F' }, 'primary', 'forward'],
    [{ oneway: 'T' }, 'primary', 'backward'],
    [{ oneway: 'B' }, 'primary', 'both'],
    [{ oneway: 'alternating' }, 'primary', 'both'],
  ] as const)('%o on %s: %s', (tags, cls, direction) => {
    expect(directionOf(tags, cls)).toBe(direction);
  });
});

describe('the network from roads', () => {
  const line = (props: Record<string, unknown>) => ({
    type: 'FeatureCollection' as const,
    features: [
      {
        type: 'Feature' as const,
        properties: props,
        geometry: {
          type: 'LineString' as const,
          coordinates: [
            [95.7, 40.5],
            [95.71, 40.5],
          ],
        },
      },
    ],
  });

  it('a road with its own kmh is driven at it; one-way only forward', () => {
    const both = buildRoadNetwork(line({ class: 'county' }));
    const oneway = buildRoadNetwork(line({ class: 'county', kmh: 25, oneway: true }));
    expect(both.edges.map((e) => e.length)).toEqual([1, 1]);
    expect(oneway.edges.map((e) => e.length)).toEqual([1, 0]);
    expect(oneway.edges[0]![0]!.seconds).toBeCloseTo(2 * both.edges[0]![0]!.seconds, 6);
  });
});
