// The alerts of a mass-testing round in progress: a town behind schedule (warning), and
// the deadline passed with grids still unfinished (critical, once for the round; the
// towns' behind alerts then clear, their state being overdue). Pure.
import type { LiveCollections } from '../schema/index.ts';
import { worded, type AlertCandidate } from './alert-candidate.ts';
import { activeRound, DEFAULT_BEHIND_MARGIN, roundProgress } from './testing-round.ts';

export function roundAlerts(c: LiveCollections, now: number, behindMargin = DEFAULT_BEHIND_MARGIN): AlertCandidate[] {
  const round = activeRound(Object.values(c.testingRounds));
  if (!round) return [];
  const p = roundProgress(round, Object.values(c.roundGrids), now, behindMargin);
  const subject = { collection: 'testingRounds', id: round.id };
  const out: AlertCandidate[] = [];
  for (const town of p.towns) {
    if (town.state !== 'behind') continue;
    out.push({
      key: `round-behind:${round.id}:${town.name}`,
      severity: 'warning',
      ...worded(
        'round-behind',
        { share: town.share, expected: p.expected, remaining: town.remaining, daysLeft: p.daysLeft, behindMargin, deadlineDays: round.deadlineDays },
        { round: round.name, town: town.name },
      ),
      subject,
      town: town.name,
    });
  }
  if (p.county.state === 'overdue') {
    const open = p.county.grids - p.county.gridsDone;
    out.push({
      key: `round-overdue:${round.id}`,
      severity: 'critical',
      ...worded('round-overdue', { gridsOpen: open, share: p.county.share, remaining: p.county.remaining, deadlineDays: round.deadlineDays }, { round: round.name }),
      subject,
    });
  }
  return out;
}
