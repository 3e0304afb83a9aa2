import { describe, expect, it } from 'vitest';
import { fixAgeMs, isFixStale } from '../../server/domain/fix-age.ts';

describe('fix age', () => {
  it('is fresh up to the limit and stale one millisecond past it', () => {
    expect(isFixStale({ at: 1000 }, 121_000, 120_000)).toBe(false);
    expect(isFixStale({ at: 1000 }, 121_001, 120_000)).toBe(true);
    expect(isFixStale(null, 0)).toBe(true);
    expect(fixAgeMs({ at: 5000 }, 4000)).toBe(0); // a terminal clock ahead of ours
    expect(fixAgeMs(null, 0)).toBe(Infinity);
  });
});
