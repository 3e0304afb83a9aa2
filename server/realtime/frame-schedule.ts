// When a framed stream (one screen, or a class of them) sends its next frame. The rule is
// pure (nextFrame, over the time it is given); FrameTimer applies it with an injected clock
// and timers, so the gateway never reads the time itself and the rule has a table test.
//
// A frame goes a frame interval after the last one, so a busy stream goes out once per
// interval and a change after a quiet spell at once; within `stateMs` when it holds a state
// change (not movement alone), so a tablet on one frame a second still sees a queue count or
// an alert at once. A pending frame is never put off, only brought forward.

/** What to do with the frame just added to. */
export type FrameDecision = { kind: 'now' } | { kind: 'at'; at: number } | { kind: 'keep' };

export interface FrameTiming {
  /** Milliseconds between frames. */
  frameMs: number;
  /** When the last frame went (-Infinity: never). */
  lastFrameAt: number;
  /** When the pending frame is due; null when none is. */
  dueAt: number | null;
}

export function nextFrame(timing: FrameTiming, now: number, stateMs: number, state: boolean): FrameDecision {
  const regular = timing.lastFrameAt + timing.frameMs;
  const due = state ? Math.min(regular, now + stateMs) : regular;
  if (timing.dueAt !== null && due >= timing.dueAt) return { kind: 'keep' };
  if (due <= now) return { kind: 'now' };
  return { kind: 'at', at: due };
}

export interface FrameClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The process's monotonic clock and its timers. */
export const monotonicClock: FrameClock = {
  now: () => performance.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One stream's frame timer: `schedule` after adding to the frame; `flush` runs when it is due. */
export class FrameTimer implements FrameTiming {
  lastFrameAt = -Infinity;
  dueAt: number | null = null;
  private handle: unknown = null;

  constructor(
    /** Milliseconds between frames; 0 sends every delta at once (the caller does not schedule). */
    readonly frameMs: number,
    private readonly stateMs: number,
    private readonly clock: FrameClock,
    private readonly flush: () => void,
  ) {}

  /** A part was added to the frame (`state`: it holds a state change): flush now, or set the timer. */
  schedule(state: boolean): void {
    const now = this.clock.now();
    const decision = nextFrame(this, now, this.stateMs, state);
    if (decision.kind === 'keep') return;
    this.cancel();
    if (decision.kind === 'now') return this.flush();
    this.dueAt = decision.at;
    this.handle = this.clock.setTimer(() => {
      this.handle = null;
      this.dueAt = null;
      this.flush();
    }, decision.at - now);
  }

  /** The frame went out now. */
  sent(): void {
    this.lastFrameAt = this.clock.now();
  }

  /** No frame is pending any more (it was sent another way, or dropped). */
  cancel(): void {
    if (this.handle !== null) this.clock.clearTimer(this.handle);
    this.handle = null;
    this.dueAt = null;
  }
}
