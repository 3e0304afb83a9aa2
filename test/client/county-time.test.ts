// The clocks on screen show the county's time, whatever the device's zone: China's until
// the board says which zone its county keeps, then that one.
import { afterEach, describe, expect, it } from 'vitest';
import { countyClock, countyDate, countyDateTime, countyTimeZone, setCountyTimeZone } from '../../client/src/lib/county-time.ts';
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

  it('dates and times a moment in the county: an arrival, a deadline, a terminal’s last message, an account’s creation', () => {
    // 17:30 UTC on 1 December is 01:30 on 2 December in the county.
    expect(countyClock('zh-CN', at)).toBe('01:30:05');
    expect(countyDate('zh-CN', at)).toBe('2026/12/2');
    expect(countyDateTime('zh-CN', at, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })).toBe('12/2 01:30');
    expect(countyDateTime('en', at)).toBe('12/2/2026, 1:30:05 AM');
    setCountyTimeZone('Asia/Urumqi');
    expect(countyDate('zh-CN', at)).toBe('2026/12/1');
  });
});
