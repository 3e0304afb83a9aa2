// The simulator's dispatcher moves units up (issue 18, part 2): when the board suggests
// moving an idle negative-pressure unit to a standby point and the suggestion has stood for
// a person's moment, it is accepted through the same service the M key uses, and the unit
// then drives there (simulator.ts); the board ends the move when the unit arrives.
import type { MoveUpSuggestion } from '../domain/coverage.ts';
import type { MoveOutcome } from '../services/coverage.ts';
import { SIM_DISPATCHER } from './transfer-driver.ts';

/** What the driver needs of the coverage service. */
export interface MoveUps {
  current(): Promise<{ suggestions: readonly MoveUpSuggestion[] }>;
  accept(ambulanceId: string, pointId: string, by: string): Promise<MoveOutcome>;
}

export interface MoveUpDriverOptions {
  coverage: MoveUps;
  random: () => number;
  /** Real milliseconds between looks at the suggestions. */
  lookEveryMs?: number;
}

/** A suggestion first seen at `since`, to be accepted at `at`. */
interface Pending {
  key: string;
  at: number;
}

export class MoveUpDriver {
  private nextLook = 0;
  private pending: Pending | null = null;
  /** Moves this driver accepted. */
  accepted = 0;

  constructor(private readonly o: MoveUpDriverOptions) {}

  async step(now: number): Promise<void> {
    if (now < this.nextLook) return;
    this.nextLook = now + (this.o.lookEveryMs ?? 5_000);
    const first = (await this.o.coverage.current()).suggestions[0];
    if (!first) {
      this.pending = null;
      return;
    }
    const key = `${first.ambulanceId}→${first.pointId}`;
    // A person reads the suggestion before pressing M: 10–40 s, not sped up (the demo shows it).
    if (this.pending?.key !== key) this.pending = { key, at: now + 10_000 + 30_000 * this.o.random() };
    if (now < this.pending.at) return;
    this.pending = null;
    const outcome = await this.o.coverage.accept(first.ambulanceId, first.pointId, SIM_DISPATCHER);
    if (outcome.ok) this.accepted++;
  }
}
