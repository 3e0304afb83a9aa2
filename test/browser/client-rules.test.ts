// The client's pure rules: delta ordering, data freshness and the queue levels it shows.
import { describe, expect, it } from 'vitest';
import { judgeDelta } from '../../client/src/lib/live-sequence.ts';
import { freshness, MAX_QUIET_MS } from '../../client/src/lib/freshness.ts';
import { estimatedWaitMinutes, queueLevel } from '../../client/src/lib/queue-level.ts';

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
});

describe('freshness', () => {
  const now = 1_000_000;
  const base = { connected: true, inSync: true, lastHeardAt: now - 1000, now };
  it('is live only when connected, in sync and recently heard from', () => {
    expect(freshness(base)).toBe('live');
    expect(freshness({ ...base, connected: false })).toBe('offline');
    expect(freshness({ ...base, inSync: false })).toBe('stale');
    expect(freshness({ ...base, lastHeardAt: null })).toBe('stale');
    expect(freshness({ ...base, lastHeardAt: now - MAX_QUIET_MS - 1 })).toBe('stale');
    expect(freshness({ ...base, lastHeardAt: now - MAX_QUIET_MS })).toBe('live');
  });
});

describe('queueLevel', () => {
  // One desk at 150 samples an hour: 2.5 people a minute.
  const point = (queue: number, status: 'open' | 'paused' | 'closed' = 'open', desks = 1) =>
    ({ status, queue, desks, deskThroughput: 150 }) as const;
  it.each([
    [0, 'open', 1, 'smooth'],
    [60, 'open', 1, 'smooth'], // 24 min
    [65, 'open', 1, 'busy'], // 26 min
    [124, 'open', 1, 'busy'], // 49.6 min
    [125, 'open', 1, 'congested'], // 50 min
    [250, 'open', 2, 'congested'], // 50 min over two desks
    [5, 'open', 0, 'congested'], // a queue and nobody sampling
    [0, 'paused', 1, 'resting'],
    [300, 'closed', 1, 'resting'],
  ] as const)('queue %i, %s, %i desk(s) → %s', (queue, status, desks, level) => {
    expect(queueLevel(point(queue, status, desks))).toBe(level);
  });
  it('estimates the wait in minutes', () => {
    expect(estimatedWaitMinutes(point(150, 'open', 2))).toBe(30);
    expect(estimatedWaitMinutes(point(1, 'open', 0))).toBe(Infinity);
  });
});
