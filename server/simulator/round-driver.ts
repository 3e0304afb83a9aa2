// The sample county's mass-testing rounds: sampling goes on in every grid of a round in
// progress at a pace that would finish it by the deadline, faster in some towns and
// slower in others (a couple fall behind), with a little noise per grid. The tally is
// written every few seconds in one batch through the rounds service, as the sampling
// points' reports would. With `demo`, an empty county gets a round for the whole county,
// started two days ago, so the board shows one from the first second.
import { DAY_MS, expectedShare } from '../domain/testing-round.ts';
import type { LiveCollections, TestingRound } from '../schema/index.ts';
import type { TestingRounds } from '../services/testing-rounds.ts';
import type { LiveStore } from '../store/store.ts';

/** How fast a town samples against the pace the deadline asks for (1 = exactly on time): 0.7–1.3. */
export function townPace(town: string, seed: number): number {
  let h = seed >>> 0;
  for (const ch of town) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0;
  return 0.7 + ((h % 1000) / 1000) * 0.6;
}

/** The tally is written this often (real time). */
const FLUSH_MS = 5_000;

export class RoundDriver {
  /** People sampled since the last write, per round and grid. */
  private readonly pending = new Map<string, Map<string, number>>();
  /** People per simulated ms, per round and grid (grids not yet done). */
  private readonly rates = new Map<string, Map<string, number>>();
  private lastStep = 0;
  private lastFlush = -Infinity;

  constructor(
    private readonly store: LiveStore,
    private readonly rounds: TestingRounds,
    private readonly options: { speed: number; seed: number; demo: boolean; random: () => number },
  ) {}

  async start(c: LiveCollections, now: number): Promise<void> {
    this.lastStep = now;
    if (!this.options.demo || Object.keys(c.testingRounds).length > 0) return;
    const made = await this.rounds.start({ county: true, name: '第1轮全员核酸检测' }, '县疫情防控指挥部', now - 2.2 * DAY_MS);
    if (!made.ok) return;
    const { collections } = await this.store.snapshot();
    const share = expectedShare(made.value, now);
    const added = new Map<string, number>();
    for (const g of Object.values(collections.roundGrids)) {
      if (g.roundId !== made.value.id) continue;
      const pace = townPace(g.townName, this.options.seed) * (0.9 + 0.2 * this.options.random());
      added.set(g.gridId, Math.floor(g.population * Math.min(1, share * pace)));
    }
    await this.rounds.advance(made.value.id, added);
  }

  /** Accumulates the sampling since the last step; writes whole people every few seconds. */
  async step(now: number): Promise<void> {
    this.accumulate((now - this.lastStep) * this.options.speed);
    this.lastStep = now;
    if (now - this.lastFlush < FLUSH_MS) return;
    this.lastFlush = now;
    for (const [roundId, grids] of this.pending) {
      const whole = new Map<string, number>();
      // Rounded at random (a fraction f counts one person with probability f): the county's
      // figure moves every few seconds at the right pace, though each grid gets < 1 person.
      for (const [gridId, n] of grids) {
        const people = Math.floor(n) + (this.options.random() < n - Math.floor(n) ? 1 : 0);
        grids.set(gridId, 0);
        if (people > 0) whole.set(gridId, people);
      }
      if (whole.size > 0) await this.rounds.advance(roundId, whole);
    }
    // Which rounds are in progress and which of their grids still sample, for the next steps.
    const { collections } = await this.store.snapshot();
    this.rates.clear();
    for (const round of Object.values(collections.testingRounds)) if (round.status === 'active') this.rates.set(round.id, this.ratesOf(round, collections));
    for (const id of [...this.pending.keys()]) if (!this.rates.has(id)) this.pending.delete(id);
  }

  private ratesOf(round: TestingRound, c: LiveCollections): Map<string, number> {
    const rates = new Map<string, number>();
    const span = round.deadlineDays * DAY_MS;
    for (const g of Object.values(c.roundGrids)) {
      if (g.roundId !== round.id || g.sampled >= g.population) continue;
      rates.set(g.gridId, (g.population * townPace(g.townName, this.options.seed)) / span);
    }
    return rates;
  }

  private accumulate(simulatedMs: number): void {
    for (const [roundId, rates] of this.rates) {
      const grids = this.pending.get(roundId) ?? new Map<string, number>();
      this.pending.set(roundId, grids);
      for (const [gridId, rate] of rates) grids.set(gridId, (grids.get(gridId) ?? 0) + rate * simulatedMs * (0.5 + this.options.random()));
    }
  }
}
