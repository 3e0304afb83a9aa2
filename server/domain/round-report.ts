// The mass-testing round in the daily report: a line in the summary and a sheet of the
// round's progress by town (with the county total), when a round is in progress. Pure.
import type { LiveCollections } from '../schema/index.ts';
import { activeRound, DEFAULT_BEHIND_MARGIN, roundProgress, type AreaProgress, type RoundState } from './testing-round.ts';

export const ROUND_STATE: Record<RoundState, string> = { 'on-track': '按期推进', behind: '进度滞后', overdue: '已超时限', done: '已完成' };

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function roundReport(
  c: LiveCollections,
  now: number,
  behindMargin = DEFAULT_BEHIND_MARGIN,
): { summary: (string | number)[]; sheet: { name: string; columns: string[]; rows: (string | number)[][] } } | null {
  const round = activeRound(Object.values(c.testingRounds));
  if (!round) return null;
  const p = roundProgress(round, Object.values(c.roundGrids), now, behindMargin);
  const behind = p.towns.filter((t) => t.state === 'behind').length;
  const left = p.daysLeft >= 0 ? `剩余${Math.round(p.daysLeft * 10) / 10}天` : `已超时限${Math.round(-p.daysLeft * 10) / 10}天`;
  const row = (a: AreaProgress) => [a.name, a.grids, a.gridsDone, a.population, a.sampled, pct(a.share), pct(p.expected), ROUND_STATE[a.state]];
  return {
    summary: [
      '全员核酸检测',
      `${round.name}（第${round.number}轮）`,
      `已采${p.county.sampled}人/应采${p.county.population}人（${pct(p.county.share)}），按期应达${pct(p.expected)}，${left}；进度滞后乡镇${behind}个`,
    ],
    sheet: {
      name: '全员核酸',
      columns: ['乡镇', '网格数', '已完成网格', '应采人数', '已采人数', '采样进度', '按期应达', '状态'],
      rows: [...p.towns.map(row), row(p.county)],
    },
  };
}
