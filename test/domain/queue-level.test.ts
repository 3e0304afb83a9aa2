import { describe, expect, it } from 'vitest';
import { estimatedWaitMinutes, queueLevel } from '../../server/domain/queue-level.ts';

const point = (queue: number, desks = 2, status: 'open' | 'paused' | 'closed' = 'open') => ({
  queue,
  desks,
  deskThroughput: 150,
  status,
});

describe('estimated wait and queue level', () => {
  it.each([
    // queue, desks, minutes: 2 desks × 150/h = 5 people a minute
    [0, 2, 0],
    [50, 2, 10],
    [125, 2, 25],
    [250, 2, 50],
    [150, 1, 60],
  ])('queue %i at %i desks waits %f min', (queue, desks, minutes) => {
    expect(estimatedWaitMinutes(point(queue, desks))).toBeCloseTo(minutes, 9);
  });

  it('a queue with no desk staffed waits forever; an empty one not at all', () => {
    expect(estimatedWaitMinutes(point(5, 0))).toBe(Infinity);
    expect(estimatedWaitMinutes(point(0, 0))).toBe(0);
  });

  it.each([
    [0, 'open', 'smooth'],
    [124, 'open', 'smooth'],
    [125, 'open', 'busy'], // exactly 25 min
    [249, 'open', 'busy'],
    [250, 'open', 'congested'], // exactly 50 min
    [10, 'paused', 'resting'],
    [0, 'closed', 'resting'],
  ] as const)('queue %i, %s → %s', (queue, status, level) => {
    expect(queueLevel(point(queue, 2, status))).toBe(level);
  });

  it('takes thresholds from configuration', () => {
    expect(queueLevel(point(100, 2), { busyMinutes: 10, congestedMinutes: 20 })).toBe('congested');
  });

  // By people waiting as well (2 desks at 150 an hour: 250 people is 50 min): whichever says busier counts.
  it.each([
    [79, 'smooth'],
    [80, 'busy'], // exactly busyPeople, 16 min
    [149, 'busy'],
    [150, 'congested'], // exactly congestedPeople, 30 min
    [250, 'congested'],
  ] as const)('with 80 / 150 people as thresholds, queue %i → %s', (queue, level) => {
    expect(queueLevel(point(queue, 2), { busyMinutes: 25, congestedMinutes: 50, busyPeople: 80, congestedPeople: 150 })).toBe(level);
  });

  it('still grades by wait when the people thresholds are not reached', () => {
    expect(queueLevel(point(130, 1), { busyMinutes: 25, congestedMinutes: 50, busyPeople: 80, congestedPeople: 150 })).toBe('congested'); // 52 min, 130 people
  });
});
