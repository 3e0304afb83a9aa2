// The clocks on screen show the county's time, whatever the device's zone: China's until
// the board says which zone its county keeps, then that one.
import { afterEach, describe, expect, it } from 'vitest';
import { countyTimeZone, setCountyTimeZone } from '../../client/src/lib/county-time.ts';
import { clockTime } from '../../client/src/lib/freshness.ts';

const at = Date.UTC(2026, 11, 1, 17, 30, 5);
afterEach(() => setCountyTimeZone('Asia/Shanghai'));

describe('the county’s clock', () => {
  it('is China’s until the board has said', () => {
    expect(countyTimeZone()).toBe('Asia/Shanghai');
    expect(clockTime(at)).toBe('01:30:05');
  });

  it('follows the zone the board names, and keeps it when told nothing', () => {
    setCountyTimeZone('Asia/Urumqi');
    expect(clockTime(at)).toBe('23:30:05');
    setCountyTimeZone(undefined);
    expect(countyTimeZone()).toBe('Asia/Urumqi');
  });
});
