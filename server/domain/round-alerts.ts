// The alerts of a mass-testing round in progress: a town behind schedule (warning), and
// the deadline passed with grids still unfinished (critical, once for the round; the
// towns' behind alerts then clear, their state being overdue). Pure.
import type { LiveCollections } from '../schema/index.ts';
import type { AlertCandidate } from './alert-candidate.ts';
import { activeRound, DEFAULT_BEHIND_MARGIN, roundProgress } from './testing-round.ts';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const days = (d: number) => `${Math.round(d * 10) / 10}天`;

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
      kind: 'round-behind',
      severity: 'warning',
      message: `${round.name}：${town.name}采样进度${pct(town.share)}，按期应达${pct(p.expected)}，进度滞后；剩余${days(p.daysLeft)}，尚有${town.remaining}人未采`,
      rule: `采样进度低于按期应达进度${Math.round(behindMargin * 100)}个百分点以上为进度滞后（${round.deadlineDays}天内完成全员采样）`,
      subject,
      town: town.name,
      figures: { share: town.share, expected: p.expected, remaining: town.remaining, daysLeft: p.daysLeft },
    });
  }
  if (p.county.state === 'overdue') {
    const open = p.county.grids - p.county.gridsDone;
    out.push({
      key: `round-overdue:${round.id}`,
      kind: 'round-overdue',
      severity: 'critical',
      message: `${round.name}已超过${round.deadlineDays}天时限，仍有${open}个网格未完成采样（全县已采${pct(p.county.share)}，尚有${p.county.remaining}人未采）`,
      rule: `${round.deadlineDays}天内完成全员核酸采样`,
      subject,
      figures: { gridsOpen: open, share: p.county.share, remaining: p.county.remaining },
    });
  }
  return out;
}
