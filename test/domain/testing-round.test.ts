// Mass-testing rounds as pure rules against tables: the expected share (linear over the
// deadline), the state of a grid, town and the county at the exact boundaries (behind
// only when more than the margin under expected; overdue only after the deadline's
// millisecond; done when every grid has sampled its population), and the round's alerts.
import { describe, expect, it } from 'vitest';
import { roundAlerts } from '../../server/domain/round-alerts.ts';
import { roundReport } from '../../server/domain/round-report.ts';
import { DAY_MS, deadlineAt, endStatus, expectedShare, roundProgress, stateOf } from '../../server/domain/testing-round.ts';
import { emptyCollections, roundGridId, type RoundGrid, type TestingRound } from '../../server/schema/index.ts';

const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const round: TestingRound = {
  id: 'TR-3',
  number: 3,
  name: '第3轮全员核酸检测',
  scope: 'towns',
  towns: ['渊泉镇', '柳园镇'],
  gridIds: ['G1', 'G2', 'G3'],
  population: 400,
  startedAt: T0,
  deadlineDays: 5,
  startedBy: 'commander',
  status: 'active',
  endedAt: null,
  endedBy: null,
  updatedAt: T0,
};
const grid = (gridId: string, townName: string, population: number, sampled: number, roundId = round.id): RoundGrid => ({
  id: roundGridId(roundId, gridId),
  roundId,
  gridId,
  townName,
  population,
  sampled,
  updatedAt: T0,
});

describe('the expected share', () => {
  it.each([
    [-1, 0],
    [0, 0],
    [DAY_MS, 0.2],
    [2.5 * DAY_MS, 0.5],
    [5 * DAY_MS, 1],
    [6 * DAY_MS, 1],
  ])('at start + %i ms is %d (linear over 5 days, clamped)', (dt, share) => {
    expect(expectedShare(round, T0 + dt)).toBeCloseTo(share, 12);
  });
  it('ends at the deadline', () => expect(deadlineAt(round)).toBe(T0 + 5 * DAY_MS));
});

describe('the state of an area', () => {
  // expected 0.5, margin 0.1: behind below a share of 0.4, exactly 0.4 on track.
  it.each([
    ['on track at the margin', { population: 1000, sampled: 400, grids: 2, gridsDone: 0 }, 0.5, false, 'on-track'],
    ['behind one person under', { population: 1000, sampled: 399, grids: 2, gridsDone: 0 }, 0.5, false, 'behind'],
    ['on track ahead', { population: 1000, sampled: 900, grids: 2, gridsDone: 1 }, 0.5, false, 'on-track'],
    ['done when every grid is', { population: 1000, sampled: 1000, grids: 2, gridsDone: 2 }, 0.5, false, 'done'],
    ['done wins over overdue', { population: 1000, sampled: 1000, grids: 2, gridsDone: 2 }, 1, true, 'done'],
    ['overdue past the deadline', { population: 1000, sampled: 999, grids: 2, gridsDone: 1 }, 1, true, 'overdue'],
    ['nobody to sample is done', { population: 0, sampled: 0, grids: 1, gridsDone: 1 }, 0.5, false, 'done'],
  ] as const)('%s', (_name, tally, expected, overdue, state) => {
    expect(stateOf({ ...tally }, expected, overdue, 0.1)).toBe(state);
  });
});

describe('a round’s progress', () => {
  const grids = [grid('G1', '渊泉镇', 100, 50), grid('G2', '渊泉镇', 100, 100), grid('G3', '柳园镇', 200, 30), grid('G9', '柳园镇', 50, 50, 'TR-2')];

  it('sums per town and county, and ignores other rounds’ grids', () => {
    const p = roundProgress(round, grids, T0 + 2.5 * DAY_MS);
    expect(p.expected).toBe(0.5);
    expect(p.daysLeft).toBe(2.5);
    expect(p.county).toMatchObject({ population: 400, sampled: 180, share: 0.45, remaining: 220, grids: 3, gridsDone: 1, state: 'on-track' });
    expect(p.towns.map((t) => [t.name, t.sampled, t.population, t.state])).toEqual([
      ['柳园镇', 30, 200, 'behind'],
      ['渊泉镇', 150, 200, 'on-track'],
    ]);
    expect(p.grids.map((g) => [g.gridId, g.share, g.state])).toEqual([
      ['G1', 0.5, 'on-track'],
      ['G2', 1, 'done'],
      ['G3', 0.15, 'behind'],
    ]);
  });

  it('is overdue one millisecond after the deadline, not at it', () => {
    expect(roundProgress(round, grids, deadlineAt(round)).county.state).toBe('behind');
    expect(roundProgress(round, grids, deadlineAt(round) + 1).county.state).toBe('overdue');
  });

  it('is judged as of its end once ended', () => {
    const ended = { ...round, status: 'ended' as const, endedAt: T0 + DAY_MS };
    const p = roundProgress(ended, grids, T0 + 30 * DAY_MS);
    expect(p.expected).toBeCloseTo(0.2, 12);
    expect(p.county.state).toBe('on-track');
  });

  it('ends completed only when every grid is done', () => {
    expect(
      endStatus([
        { sampled: 100, population: 100 },
        { sampled: 301, population: 300 },
      ]),
    ).toBe('completed');
    expect(
      endStatus([
        { sampled: 100, population: 100 },
        { sampled: 299, population: 300 },
      ]),
    ).toBe('ended');
  });
});

describe('the round’s alerts and report', () => {
  const state = (sampledG3: number, rounds: TestingRound[] = [round]) => {
    const c = emptyCollections();
    for (const r of rounds) c.testingRounds[r.id] = r;
    for (const g of [grid('G1', '渊泉镇', 100, 100), grid('G2', '渊泉镇', 100, 100), grid('G3', '柳园镇', 200, sampledG3)]) c.roundGrids[g.id] = g;
    return c;
  };

  it('warns of a town behind schedule, and only while it is', () => {
    // Day 2.5 of 5: expected 50 %; 柳园镇 at 39.5 % is behind, at 40 % on track.
    const at = T0 + 2.5 * DAY_MS;
    const behind = roundAlerts(state(79), at, 0.1);
    expect(behind).toHaveLength(1);
    expect(behind[0]).toMatchObject({ key: 'round-behind:TR-3:柳园镇', kind: 'round-behind', severity: 'warning', subject: { collection: 'testingRounds', id: 'TR-3' } });
    expect(behind[0]!.message).toContain('柳园镇采样进度40%，按期应达50%，进度滞后');
    expect(roundAlerts(state(80), at, 0.1)).toEqual([]);
  });

  it('raises a critical alert once the deadline passes with grids unfinished, instead of the town’s', () => {
    const late = roundAlerts(state(150), deadlineAt(round) + 1, 0.1);
    expect(late.map((a) => [a.kind, a.severity])).toEqual([['round-overdue', 'critical']]);
    expect(late[0]!.message).toBe('第3轮全员核酸检测已超过5天时限，仍有1个网格未完成采样（全县已采88%，尚有50人未采）');
    expect(roundAlerts(state(150), deadlineAt(round), 0.1).map((a) => a.kind)).toEqual(['round-behind']);
    expect(roundAlerts(state(200), deadlineAt(round) + 1, 0.1)).toEqual([]);
  });

  it('says nothing about a round that is over', () => {
    expect(roundAlerts(state(0, [{ ...round, status: 'ended', endedAt: T0 + DAY_MS }]), T0 + 9 * DAY_MS, 0.1)).toEqual([]);
  });

  it('gives the daily report a summary line and a sheet by town while a round is in progress', () => {
    const r = roundReport(state(80), T0 + 2.5 * DAY_MS, 0.1)!;
    expect(r.summary).toEqual(['全员核酸检测', '第3轮全员核酸检测（第3轮）', '已采280人/应采400人（70%），按期应达50%，剩余2.5天；进度滞后乡镇0个']);
    expect(r.sheet.rows).toEqual([
      ['柳园镇', 1, 0, 200, 80, '40%', '50%', '按期推进'],
      ['渊泉镇', 2, 2, 200, 200, '100%', '50%', '已完成'],
      ['全县', 3, 2, 400, 280, '70%', '50%', '按期推进'],
    ]);
    expect(roundReport(emptyCollections(), T0, 0.1)).toBeNull();
  });
});
