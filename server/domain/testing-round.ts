// Mass-testing rounds (全员核酸检测, DOMAIN.md): the whole population of the covered
// grids sampled within 5–7 days. Each grid's, town's and the county's share sampled
// (sampled ÷ population), against the share expected by now: linear over the deadline
// (day 2 of 5 expects 40 %). An area is done when every grid in it has sampled at least
// its population; overdue when the deadline has passed and it is not done; behind when
// its share is more than `behindMargin` (default 10 points) under the expected share;
// on track otherwise. Pure; exact boundaries: at the deadline to the millisecond a round
// is not yet overdue, and a share exactly `behindMargin` under expected is on track.
import type { RoundGrid, TestingRound } from '../schema/index.ts';

export const DAY_MS = 86_400_000;
export const DEFAULT_BEHIND_MARGIN = 0.1;
export const DEFAULT_DEADLINE_DAYS = 5;

export type RoundState = 'on-track' | 'behind' | 'overdue' | 'done';

export const deadlineAt = (r: Pick<TestingRound, 'startedAt' | 'deadlineDays'>): number => r.startedAt + r.deadlineDays * DAY_MS;

/** The share of the population that should be sampled by `at`: 0 at the start, 1 at the deadline. */
export function expectedShare(r: Pick<TestingRound, 'startedAt' | 'deadlineDays'>, at: number): number {
  return Math.min(1, Math.max(0, (at - r.startedAt) / (r.deadlineDays * DAY_MS)));
}

/** sampled ÷ population; an area with nobody to sample counts as fully sampled. */
export const shareOf = (sampled: number, population: number): number => (population > 0 ? sampled / population : 1);

export interface Tally {
  population: number;
  sampled: number;
  grids: number;
  gridsDone: number;
}

export function stateOf(t: Tally, expected: number, overdue: boolean, behindMargin: number): RoundState {
  if (t.gridsDone === t.grids) return 'done';
  if (overdue) return 'overdue';
  return shareOf(t.sampled, t.population) < expected - behindMargin ? 'behind' : 'on-track';
}

export interface AreaProgress extends Tally {
  /** The town's name; '全县' for the county. */
  name: string;
  share: number;
  /** People still to sample (grids over their population do not make up for others). */
  remaining: number;
  state: RoundState;
}

export interface GridProgress {
  gridId: string;
  townName: string;
  population: number;
  sampled: number;
  share: number;
  state: RoundState;
}

export interface RoundProgress {
  roundId: string;
  number: number;
  name: string;
  status: TestingRound['status'];
  startedAt: number;
  deadlineAt: number;
  deadlineDays: number;
  /** Progress is judged as of this time: now, or when the round ended. */
  asOf: number;
  /** Days until the deadline (negative once passed), as of `asOf`. */
  daysLeft: number;
  expected: number;
  county: AreaProgress;
  /** Towns in the order of their names (zh collation). */
  towns: AreaProgress[];
  grids: GridProgress[];
}

const isDone = (g: Pick<RoundGrid, 'sampled' | 'population'>) => g.sampled >= g.population;

function area(name: string, grids: RoundGrid[], expected: number, overdue: boolean, margin: number): AreaProgress {
  const t: Tally = { population: 0, sampled: 0, grids: grids.length, gridsDone: 0 };
  let remaining = 0;
  for (const g of grids) {
    t.population += g.population;
    t.sampled += g.sampled;
    remaining += Math.max(0, g.population - g.sampled);
    if (isDone(g)) t.gridsDone++;
  }
  return { name, ...t, share: shareOf(t.sampled, t.population), remaining, state: stateOf(t, expected, overdue, margin) };
}

/** A round's progress from its grids (those of other rounds are ignored). */
export function roundProgress(round: TestingRound, allGrids: Iterable<RoundGrid>, now: number, behindMargin = DEFAULT_BEHIND_MARGIN): RoundProgress {
  const asOf = round.endedAt ?? now;
  const due = deadlineAt(round);
  const expected = expectedShare(round, asOf);
  const overdue = asOf > due;
  const grids = [...allGrids].filter((g) => g.roundId === round.id).sort((a, b) => a.gridId.localeCompare(b.gridId));
  const byTown = new Map<string, RoundGrid[]>();
  for (const g of grids) {
    const list = byTown.get(g.townName);
    if (list) list.push(g);
    else byTown.set(g.townName, [g]);
  }
  return {
    roundId: round.id,
    number: round.number,
    name: round.name,
    status: round.status,
    startedAt: round.startedAt,
    deadlineAt: due,
    deadlineDays: round.deadlineDays,
    asOf,
    daysLeft: (due - asOf) / DAY_MS,
    expected,
    county: area('全县', grids, expected, overdue, behindMargin),
    towns: [...byTown.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([town, gs]) => area(town, gs, expected, overdue, behindMargin)),
    grids: grids.map((g) => {
      const share = shareOf(g.sampled, g.population);
      const state = stateOf({ population: g.population, sampled: g.sampled, grids: 1, gridsDone: isDone(g) ? 1 : 0 }, expected, overdue, behindMargin);
      return { gridId: g.gridId, townName: g.townName, population: g.population, sampled: g.sampled, share, state };
    }),
  };
}

/** The round in progress (the newest, should there be more than one), or null. */
export function activeRound(rounds: Iterable<TestingRound>): TestingRound | null {
  let best: TestingRound | null = null;
  for (const r of rounds) if (r.status === 'active' && (!best || r.startedAt > best.startedAt)) best = r;
  return best;
}

/** The status a round gets when the command center ends it: completed if every grid is done. */
export const endStatus = (grids: Pick<RoundGrid, 'sampled' | 'population'>[]): 'completed' | 'ended' => (grids.every(isDone) ? 'completed' : 'ended');
