import { describe, expect, it } from 'vitest';
import { countsOn, onDay } from '../../server/domain/day-counters.ts';
import { hotel, samplingPoint } from '../helpers/fixtures.ts';

describe('a site’s today-counters belong to its county day', () => {
  const point = samplingPoint('p', { samplesToday: 500, countsDay: '2026-12-01' });
  const h = hotel('h', { checkInsToday: 4, checkOutsToday: 1, countsDay: '2026-12-01' });

  it.each([
    ['the same day: unchanged (the same object)', point, '2026-12-01', point],
    ['the next day: counted again from 0', point, '2026-12-02', { ...point, samplesToday: 0, countsDay: '2026-12-02' }],
    ['an earlier day (a clock behind): left alone', point, '2026-11-30', point],
    ['no day yet: taken as this one, counts kept', samplingPoint('p', { samplesToday: 500 }), '2026-12-01', { ...point }],
    ['a hotel the next day: check-ins and check-outs from 0', h, '2026-12-02', { ...h, checkInsToday: 0, checkOutsToday: 0, countsDay: '2026-12-02' }],
  ])('%s', (_, site, date, expected) => {
    const out = onDay(site, date);
    expect(out).toEqual(expected);
    if (expected === site) expect(out).toBe(site);
  });

  it('counts a day’s figures only on that day', () => {
    expect(countsOn(point, '2026-12-01')).toEqual({ samples: 500, checkIns: 0, checkOuts: 0 });
    expect(countsOn(point, '2026-12-02')).toEqual({ samples: 0, checkIns: 0, checkOuts: 0 });
    expect(countsOn(h, '2026-12-01')).toEqual({ samples: 0, checkIns: 4, checkOuts: 1 });
    expect(countsOn(h, '2026-12-02')).toEqual({ samples: 0, checkIns: 0, checkOuts: 0 });
  });
});
