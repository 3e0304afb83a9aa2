// A sampling point serves its town's people, shared by desks: a day's arrivals thin out as
// its samples near that share, so a town's samples today never outrun its people.
import { describe, expect, it } from 'vitest';
import { catchments, DAILY_SAMPLED_SHARE, stepSamplingPoint } from '../../server/simulator/site-dynamics.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

const grids = [
  { id: 'g1', population: 3000, townName: '甲镇' },
  { id: 'g2', population: 1000, townName: '甲镇' },
  { id: 'g3', population: 500, townName: '乙乡' },
];

describe('sampling point catchments', () => {
  it('share each town’s people among its points by desks, and the county’s for a point in no known grid', () => {
    const points = [
      samplingPoint('a', { gridId: 'g1', desks: 3 }),
      samplingPoint('b', { gridId: 'g2', desks: 1 }),
      samplingPoint('c', { gridId: 'g3', desks: 2 }),
      samplingPoint('d', { gridId: 'elsewhere', desks: 2 }),
    ];
    // d: the county's 4,500 people by 2 of all 8 desks.
    expect(Object.fromEntries(catchments(points, grids))).toEqual({ a: 3000, b: 1000, c: 500, d: 1125 });
  });

  it('stop arrivals once the day’s samples reach the share of the catchment, and let them in well below it', () => {
    const open = { status: 'open' as const, hours: null, queue: 0, desks: 2, deskThroughput: 150 };
    const random = () => 0.5;
    const full = stepSamplingPoint(samplingPoint('a', { ...open, samplesToday: DAILY_SAMPLED_SHARE * 1000 }), 10 * 60, 5, random, 1000);
    expect(full?.queue).toBe(0);
    expect(full?.samplesToday).toBe(DAILY_SAMPLED_SHARE * 1000);
    const early = stepSamplingPoint(samplingPoint('a', { ...open, samplesToday: 0 }), 10 * 60, 5, random, 1000);
    expect(early!.samplesToday!).toBeGreaterThan(0);
    const unbounded = stepSamplingPoint(samplingPoint('a', { ...open, samplesToday: 5000 }), 10 * 60, 5, random);
    expect(unbounded!.samplesToday!).toBeGreaterThan(5000);
  });
});
