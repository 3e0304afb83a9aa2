// The position filter at its boundaries.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIX_LIMITS, judgeFix } from '../../server/ingest/fix-filter.ts';

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);
const prev = { lng: 95.78, lat: 40.52, at: NOW - 60_000 };

describe('judgeFix', () => {
  const table: [string, Parameters<typeof judgeFix>[0], typeof prev | null, ReturnType<typeof judgeFix>][] = [
    ['a normal fix', { lng: 95.79, lat: 40.52, at: NOW }, prev, 'ok'],
    ['the first fix of a unit', { lng: 95.79, lat: 40.52, at: NOW }, null, 'ok'],
    ['0,0', { lng: 0, lat: 0, at: NOW }, null, 'zero'],
    ['latitude 90.000001', { lng: 95, lat: 90.000001, at: NOW }, null, 'out-of-range'],
    ['longitude -180.5', { lng: -180.5, lat: 40, at: NOW }, null, 'out-of-range'],
    ['NaN', { lng: Number.NaN, lat: 40, at: NOW }, null, 'out-of-range'],
    ['no positioning', { lng: 95.79, lat: 40.52, at: NOW, located: false }, null, 'not-located'],
    ['5 s ahead: tolerated', { lng: 95.79, lat: 40.52, at: NOW + 5_000 }, prev, 'ok'],
    ['5.001 s ahead', { lng: 95.79, lat: 40.52, at: NOW + 5_001 }, prev, 'future'],
    ['an hour ahead', { lng: 95.79, lat: 40.52, at: NOW + 3_600_000 }, prev, 'future'],
    ['24 h old: kept', { lng: 95.79, lat: 40.52, at: NOW - 24 * 3_600_000 }, null, 'ok'],
    ['older than 24 h', { lng: 95.79, lat: 40.52, at: NOW - 24 * 3_600_000 - 1 }, null, 'too-old'],
    ['the same time again', { lng: 95.79, lat: 40.52, at: prev.at }, prev, 'duplicate'],
    ['before the previous', { lng: 95.79, lat: 40.52, at: prev.at - 1 }, prev, 'older'],
    // 3.3 km in 60 s is 200 km/h; a little more is a jump.
    ['199 km/h', { lng: 95.78 + 3.3166 / (111.32 * Math.cos(40.52 * (Math.PI / 180))), lat: 40.52, at: NOW }, prev, 'ok'],
    ['202 km/h', { lng: 95.78 + 3.3666 / (111.32 * Math.cos(40.52 * (Math.PI / 180))), lat: 40.52, at: NOW }, prev, 'jump'],
    ['across the county in a minute', { lng: 96.8, lat: 40.6, at: NOW }, prev, 'jump'],
  ];
  for (const [name, fix, previous, verdict] of table) {
    it(name, () => expect(judgeFix(fix, previous, NOW, DEFAULT_FIX_LIMITS)).toBe(verdict));
  }
});
