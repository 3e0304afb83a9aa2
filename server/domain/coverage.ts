// Coverage (issue 18, parts 1 and 2), as pure functions over each grid's best road time
// (server/routing/coverage-index.ts keeps those current): the share of the population
// within each threshold, the towns a negative-pressure unit cannot reach in time, the
// alert for such a town, and which idle unit to move to which standby point to win back
// the most people (move-up), in words a dispatcher reads out.
import { distanceMeters } from '../geo/distance.ts';
import type { LngLat } from '../schema/index.ts';
import { worded, type AlertCandidate } from './alert-candidate.ts';

export interface CoverageGrid {
  id: string;
  townName: string;
  population: number;
}

export interface TownCoverage {
  name: string;
  population: number;
  /** Share of the town's people a negative-pressure unit reaches within the worst threshold. */
  negativePressureShare: number;
  /** Most of its people (more than half) beyond the worst threshold of every negative-pressure unit. */
  uncovered: boolean;
}

export interface CoverageFigures {
  thresholdsMin: number[];
  population: number;
  /** Per threshold, the share of the population within it: of a negative-pressure unit, of an ordinary one. */
  within: { minutes: number; negativePressure: number; ordinary: number }[];
  towns: TownCoverage[];
  /** Names of the uncovered towns, most people first. */
  uncoveredTowns: string[];
}

/** A town counts as covered while at least this share of its people is within the worst threshold. */
export const TOWN_COVERED_SHARE = 0.5;

/** Share of the population whose grid is reached within `seconds` (0 for no people). */
export function coveredShare(population: ArrayLike<number>, seconds: ArrayLike<number>, limitSeconds: number): number {
  let total = 0;
  let covered = 0;
  for (let g = 0; g < population.length; g++) {
    total += population[g]!;
    if (seconds[g]! <= limitSeconds) covered += population[g]!;
  }
  return total === 0 ? 0 : covered / total;
}

export function coverageFigures(
  grids: readonly CoverageGrid[],
  negativePressure: ArrayLike<number>,
  ordinary: ArrayLike<number>,
  thresholdsMin: readonly number[],
): CoverageFigures {
  if (negativePressure.length !== grids.length || ordinary.length !== grids.length) throw new Error('one figure per grid');
  const population = grids.map((g) => g.population);
  const total = population.reduce((a, b) => a + b, 0);
  const within = thresholdsMin.map((minutes) => ({
    minutes,
    negativePressure: coveredShare(population, negativePressure, minutes * 60),
    ordinary: coveredShare(population, ordinary, minutes * 60),
  }));
  const worst = Math.max(...thresholdsMin) * 60;
  const byTown = new Map<string, { population: number; covered: number }>();
  grids.forEach((g, i) => {
    const t = byTown.get(g.townName) ?? { population: 0, covered: 0 };
    t.population += g.population;
    if (negativePressure[i]! <= worst) t.covered += g.population;
    byTown.set(g.townName, t);
  });
  const towns = [...byTown].map(([name, t]): TownCoverage => {
    const share = t.population === 0 ? 1 : t.covered / t.population;
    return { name, population: t.population, negativePressureShare: share, uncovered: share < TOWN_COVERED_SHARE };
  });
  const uncoveredTowns = towns
    .filter((t) => t.uncovered)
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name))
    .map((t) => t.name);
  return { thresholdsMin: [...thresholdsMin], population: total, within, towns, uncoveredTowns };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** One alert per uncovered town (DOMAIN.md: every district has a negative-pressure ambulance within reach). */
export function coverageAlertCandidates(figures: CoverageFigures): AlertCandidate[] {
  const worst = Math.max(...figures.thresholdsMin);
  return figures.towns
    .filter((t) => t.uncovered)
    .map((t) => ({
      key: `coverage-gap:${t.name}`,
      severity: 'critical' as const,
      ...worded('coverage-gap', { share: t.negativePressureShare, population: t.population, thresholdMinutes: worst }, { town: t.name }),
      subject: null,
      town: t.name,
    }));
}

export interface StandbyPoint {
  id: string;
  name: string;
  location: LngLat;
}

export interface MoveUpInput {
  population: ArrayLike<number>;
  /** Seconds to every grid for each negative-pressure unit counted now (a unit already moving: from where it is going). */
  rows: ReadonlyMap<string, ArrayLike<number>>;
  /** The units that may be moved: in `rows`, idle, not already moving. */
  idle: readonly { id: string; callSign: string; at: LngLat }[];
  /** Candidate standby points and the seconds from each to every grid. */
  points: readonly (StandbyPoint & { row: ArrayLike<number> })[];
  /** The threshold whose covered population the moves maximise. */
  targetSeconds: number;
  /** At most this many moves, each on top of the ones before. */
  limit?: number;
  /** A move must win at least this share of the population. */
  minGain?: number;
  /** A unit this close to a point is there already. */
  atPointMeters?: number;
}

export interface MoveUpSuggestion {
  ambulanceId: string;
  callSign: string;
  pointId: string;
  pointName: string;
  location: LngLat;
  /** Share of the population covered at the target threshold before and after this move (after the moves before it). */
  before: number;
  after: number;
  targetMinutes: number;
  words: { zh: string; en: string };
}

export function moveUpWords(s: Pick<MoveUpSuggestion, 'callSign' | 'pointName' | 'before' | 'after' | 'targetMinutes'>): { zh: string; en: string } {
  return {
    zh: `调 ${s.callSign} 至 ${s.pointName} 待命，负压覆盖人口（${s.targetMinutes}分钟）由 ${pct(s.before)} 升至 ${pct(s.after)}`,
    en: `Move ${s.callSign} to ${s.pointName} on standby: negative-pressure coverage (${s.targetMinutes} min) rises from ${pct(s.before)} to ${pct(s.after)} of the population`,
  };
}

/**
 * Greedy move-up: of every (idle unit, standby point) pair, the one that raises the
 * population covered within the target the most, taking the unit away from where it is;
 * then the next on top of it, up to `limit`. Ties: the unit and point first by id.
 */
export function suggestMoveUps(input: MoveUpInput): MoveUpSuggestion[] {
  const { population, targetSeconds } = input;
  const limit = input.limit ?? 3;
  const minGain = input.minGain ?? 0.01;
  const atPoint = input.atPointMeters ?? 500;
  const G = population.length;
  let total = 0;
  for (let g = 0; g < G; g++) total += population[g]!;
  if (total === 0) return [];
  const rows = new Map(input.rows);
  const moved = new Set<string>();
  const out: MoveUpSuggestion[] = [];
  const idle = [...input.idle].filter((u) => rows.has(u.id)).sort((a, b) => a.id.localeCompare(b.id));
  const points = [...input.points].sort((a, b) => a.id.localeCompare(b.id));
  const best1 = new Float64Array(G);
  const best2 = new Float64Array(G);
  const arg1: (string | null)[] = new Array<string | null>(G);
  while (out.length < limit) {
    best1.fill(Infinity);
    best2.fill(Infinity);
    arg1.fill(null);
    for (const [id, row] of rows) {
      for (let g = 0; g < G; g++) {
        const t = row[g]!;
        if (t < best1[g]!) {
          best2[g] = best1[g]!;
          best1[g] = t;
          arg1[g] = id;
        } else if (t < best2[g]!) best2[g] = t;
      }
    }
    let now = 0;
    for (let g = 0; g < G; g++) if (best1[g]! <= targetSeconds) now += population[g]!;
    let pick: { unit: (typeof idle)[number]; point: (typeof points)[number]; covered: number } | null = null;
    for (const unit of idle) {
      if (moved.has(unit.id)) continue;
      for (const point of points) {
        if (distanceMeters(unit.at[0], unit.at[1], point.location[0], point.location[1]) <= atPoint) continue;
        let covered = 0;
        for (let g = 0; g < G; g++) {
          const without = arg1[g] === unit.id ? best2[g]! : best1[g]!;
          const t = point.row[g]! < without ? point.row[g]! : without;
          if (t <= targetSeconds) covered += population[g]!;
        }
        if (!pick || covered > pick.covered) pick = { unit, point, covered };
      }
    }
    if (!pick || (pick.covered - now) / total < minGain) break;
    moved.add(pick.unit.id);
    rows.set(pick.unit.id, pick.point.row);
    const s = { callSign: pick.unit.callSign, pointName: pick.point.name, before: now / total, after: pick.covered / total, targetMinutes: Math.round(targetSeconds / 60) };
    out.push({ ambulanceId: pick.unit.id, pointId: pick.point.id, location: pick.point.location, ...s, words: moveUpWords(s) });
  }
  return out;
}
