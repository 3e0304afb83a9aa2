// The frame rule as a table (nextFrame), and FrameTimer over a fake clock and timers.
import { describe, expect, it } from 'vitest';
import { FrameTimer, nextFrame, type FrameClock, type FrameDecision, type FrameTiming } from '../../server/realtime/frame-schedule.ts';

describe('nextFrame', () => {
  // frameMs 1000, stateMs 50 throughout.
  const cases: [string, Omit<FrameTiming, 'frameMs'>, number, boolean, FrameDecision][] = [
    ['movement after a quiet spell: at once', { lastFrameAt: -Infinity, dueAt: null }, 5000, false, { kind: 'now' }],
    ['a state change after a quiet spell: at once', { lastFrameAt: 0, dueAt: null }, 5000, true, { kind: 'now' }],
    ['movement within the interval: when the interval ends', { lastFrameAt: 1000, dueAt: null }, 1200, false, { kind: 'at', at: 2000 }],
    ['a state change within the interval: within stateMs', { lastFrameAt: 1000, dueAt: null }, 1200, true, { kind: 'at', at: 1250 }],
    ['a state change near the interval end: the interval end', { lastFrameAt: 1000, dueAt: null }, 1980, true, { kind: 'at', at: 2000 }],
    ['movement with a frame pending: the pending one stands', { lastFrameAt: 1000, dueAt: 2000 }, 1200, false, { kind: 'keep' }],
    ['a state change with movement pending: brought forward', { lastFrameAt: 1000, dueAt: 2000 }, 1200, true, { kind: 'at', at: 1250 }],
    ['a state change with a sooner frame pending: that one stands', { lastFrameAt: 1000, dueAt: 1220 }, 1200, true, { kind: 'keep' }],
    ['the interval over, a frame pending later: now', { lastFrameAt: 1000, dueAt: 2500 }, 2100, false, { kind: 'now' }],
    ['exactly at the interval end: now', { lastFrameAt: 1000, dueAt: null }, 2000, false, { kind: 'now' }],
  ];
  it.each(cases)('%s', (_label, timing, now, state, expected) => {
    expect(nextFrame({ frameMs: 1000, ...timing }, now, 50, state)).toEqual(expected);
  });
});

/** A clock the test moves, with timers that fire when it passes them. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: FrameClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimer: (id) => void timers.delete(id as number),
  };
  const advance = (to: number) => {
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = to;
  };
  return { clock, advance, pending: () => timers.size };
}

describe('FrameTimer', () => {
  it('sends once per interval under a busy stream, a state change within stateMs, and nothing once cancelled', () => {
    const { clock, advance, pending } = fakeClock();
    const sent: number[] = [];
    const timer: FrameTimer = new FrameTimer(1000, 50, clock, () => {
      sent.push(clock.now());
      timer.sent();
    });
    timer.schedule(false); // quiet so far: at once
    expect(sent).toEqual([0]);
    advance(100);
    timer.schedule(false);
    advance(400);
    timer.schedule(false); // the pending frame stands
    expect(pending()).toBe(1);
    advance(1000);
    expect(sent).toEqual([0, 1000]);
    advance(1100);
    timer.schedule(false);
    advance(1200);
    timer.schedule(true); // brought forward to 1250
    expect(pending()).toBe(1);
    advance(1300);
    expect(sent).toEqual([0, 1000, 1250]);
    timer.schedule(false);
    timer.cancel();
    advance(5000);
    expect(sent).toEqual([0, 1000, 1250]);
    expect(pending()).toBe(0);
  });
});
