// The client's pure rules: delta ordering and data freshness. (Queue levels are the
// server's domain rule, re-exported by the client; test/domain/queue-level.test.ts covers them.)
import { describe, expect, it } from 'vitest';
import { judgeDelta } from '../../client/src/lib/live-sequence.ts';
import { freshness, MAX_QUIET_MS } from '../../client/src/lib/freshness.ts';

describe('judgeDelta', () => {
  it.each([
    [0, 1, 'apply'],
    [41, 42, 'apply'],
    [42, 42, 'stale'],
    [42, 7, 'stale'],
    [42, 44, 'gap'],
    [0, 2, 'gap'],
  ] as const)('at seq %i, delta %i → %s', (last, seq, verdict) => {
    expect(judgeDelta(last, seq)).toBe(verdict);
  });

  it.each([
    // last, from, seq: a frame of deltas from … seq
    [10, 11, 15, 'apply'],
    [10, 12, 15, 'gap'],
    [10, 5, 9, 'stale'],
    [10, 8, 12, 'gap'], // overlaps what we have: only a snapshot can say what is right
  ] as const)('at %i, a frame %i…%i is %s', (last, from, seq, verdict) => {
    expect(judgeDelta(last, seq, from)).toBe(verdict);
  });
});

describe('freshness', () => {
  const now = 1_000_000;
  const base = { connected: true, inSync: true, lastHeardAt: now - 1000, now };
  it('is live only when connected, in sync and recently heard from', () => {
    expect(freshness(base)).toBe('live');
    expect(freshness({ ...base, connected: false })).toBe('offline');
    expect(freshness({ ...base, inSync: false })).toBe('syncing');
    expect(freshness({ ...base, connected: false, inSync: false })).toBe('offline');
    expect(freshness({ ...base, lastHeardAt: null })).toBe('stale');
    expect(freshness({ ...base, lastHeardAt: now - MAX_QUIET_MS - 1 })).toBe('stale');
    expect(freshness({ ...base, lastHeardAt: now - MAX_QUIET_MS })).toBe('live');
  });
});
