// Where to send a crowd: the nearest smooth, open points that take everyone, within reach.
import { describe, expect, it } from 'vitest';
import { alternativesFor } from '../../server/domain/point-alternatives.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

// One desk at 60 an hour: the queue is the wait in minutes.
const at = (id: string, eastKm: number, queue: number, extra: Parameters<typeof samplingPoint>[1] = {}) =>
  samplingPoint(id, { name: id, location: [95.78 + eastKm / 84.7, 40.52], queue, desks: 1, deskThroughput: 60, status: 'open', serves: 'all', ...extra });

describe('alternatives for a crowded point', () => {
  const crowded = at('crowded', 0, 50); // 50 min: congested, exactly at the boundary
  const others = [
    at('far-smooth', 20, 0),
    at('near-busy', 1, 25), // 25 min: busy, not smooth
    at('near-smooth', 2, 24), // 24 min: still smooth
    at('nearest-smooth', 0.5, 3),
    at('closed', 0.2, 0, { status: 'closed' }),
    at('key-groups', 0.3, 0, { serves: 'key-groups' }),
    at('third', 5, 10),
    at('fourth', 6, 0),
  ];

  it('names the nearest three open, smooth points that take everyone, within 15 km', () => {
    const found = alternativesFor(crowded, [crowded, ...others]);
    expect(found.map((a) => a.id)).toEqual(['nearest-smooth', 'near-smooth', 'third']);
    expect(found[0]!.distanceM).toBeCloseTo(500, -1);
    expect(found[0]!.waitMinutes).toBe(3);
  });

  it('says nothing for a point that is not congested (49 minutes)', () => {
    expect(alternativesFor(at('busy', 0, 49), others)).toEqual([]);
  });

  it('lets a key-groups point send its crowd to a key-groups point', () => {
    const found = alternativesFor(at('kg', 0, 80, { serves: 'key-groups' }), others, { limit: 1 });
    expect(found.map((a) => a.id)).toEqual(['key-groups']);
  });

  it('follows configured thresholds and reach', () => {
    expect(alternativesFor(at('x', 0, 30), others, { thresholds: { busyMinutes: 10, congestedMinutes: 30 } }).map((a) => a.id)).toEqual(['nearest-smooth', 'fourth']);
    expect(alternativesFor(crowded, others, { maxDistanceM: 400 })).toEqual([]);
  });
});
