// Coverage figures, the uncovered-town alert and the greedy move-up, against tables.
import { describe, expect, it } from 'vitest';
import { coverageAlertCandidates, coverageFigures, coveredShare, moveUpWords, suggestMoveUps, TOWN_COVERED_SHARE, type CoverageGrid } from '../../server/domain/coverage.ts';

const M = 60;
const grids: CoverageGrid[] = [
  { id: 'G1', townName: '渊泉镇', population: 600 },
  { id: 'G2', townName: '渊泉镇', population: 200 },
  { id: 'G3', townName: '西湖镇', population: 150 },
  { id: 'G4', townName: '西湖镇', population: 50 },
];

describe('coveredShare', () => {
  it.each([
    { seconds: [0, 0, 0, 0], limit: 15 * M, share: 1 },
    { seconds: [15 * M, 15 * M + 1, Infinity, 0], limit: 15 * M, share: 650 / 1000 },
    { seconds: [Infinity, Infinity, Infinity, Infinity], limit: 60 * M, share: 0 },
  ])('$seconds within $limit s → $share', ({ seconds, limit, share }) => {
    expect(
      coveredShare(
        grids.map((g) => g.population),
        seconds,
        limit,
      ),
    ).toBeCloseTo(share, 12);
  });
  it('is 0 for a county of no people', () => expect(coveredShare([0, 0], [0, 0], 60)).toBe(0));
});

describe('coverageFigures', () => {
  const np = [10 * M, 20 * M, 70 * M, 40 * M];
  const ordinary = [5 * M, 5 * M, 25 * M, 90 * M];
  const f = coverageFigures(grids, np, ordinary, [15, 30, 60]);

  it('gives the population share within each threshold, per class', () => {
    expect(f.population).toBe(1000);
    expect(f.within).toEqual([
      { minutes: 15, negativePressure: 0.6, ordinary: 0.8 },
      { minutes: 30, negativePressure: 0.8, ordinary: 0.95 },
      { minutes: 60, negativePressure: 0.85, ordinary: 0.95 },
    ]);
  });

  it('calls a town uncovered when less than half its people are within the worst threshold of a negative-pressure unit', () => {
    expect(TOWN_COVERED_SHARE).toBe(0.5);
    expect(f.towns).toEqual([
      { name: '渊泉镇', population: 800, negativePressureShare: 1, uncovered: false },
      { name: '西湖镇', population: 200, negativePressureShare: 0.25, uncovered: true },
    ]);
    expect(f.uncoveredTowns).toEqual(['西湖镇']);
    // Exactly half is covered.
    const half = coverageFigures(grids, [0, 0, 0, 61 * M], ordinary, [60]);
    expect(half.towns.find((t) => t.name === '西湖镇')!.uncovered).toBe(false);
    const none = coverageFigures(grids, [0, 0, Infinity, Infinity], ordinary, [60]);
    expect(none.uncoveredTowns).toEqual(['西湖镇']);
  });

  it('refuses figures that do not match the grids', () => {
    expect(() => coverageFigures(grids, [0], ordinary, [15])).toThrow(/one figure per grid/);
  });

  it('raises one coverage-gap alert per uncovered town, for that town', () => {
    const alerts = coverageAlertCandidates(f);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      key: 'coverage-gap:西湖镇',
      kind: 'coverage-gap',
      severity: 'critical',
      town: '西湖镇',
      subject: null,
      figures: { share: 0.25, population: 200, thresholdMinutes: 60 },
    });
    expect(alerts[0]!.message).toContain('60分钟');
    expect(alerts[0]!.message).toContain('25%');
    expect(coverageAlertCandidates(coverageFigures(grids, [0, 0, 0, 0], ordinary, [15, 60]))).toEqual([]);
  });
});

describe('suggestMoveUps (greedy)', () => {
  // Grids: 渊泉 (1000 people), 西湖 (800), 南岔 (200). Two units both in 渊泉; standby points in 西湖 and 南岔.
  const population = [1000, 800, 200];
  const yuanquan: [number, number] = [95.78, 40.52];
  const xihu: [number, number] = [95.3, 40.3];
  const nancha: [number, number] = [95.95, 40.4];
  const atYuanquan = [5 * M, 70 * M, 40 * M];
  const points = [
    { id: 'SB-XH', name: '西湖镇卫生院', location: xihu, row: [70 * M, 5 * M, 80 * M] },
    { id: 'SB-NC', name: '南岔镇卫生院', location: nancha, row: [40 * M, 80 * M, 5 * M] },
  ];
  const idle = [
    { id: 'NP01', callSign: '瓜州负压01', at: yuanquan },
    { id: 'NP02', callSign: '瓜州负压02', at: yuanquan },
  ];
  const rows = new Map([
    ['NP01', atYuanquan],
    ['NP02', atYuanquan],
  ]);

  it('moves the unit whose move wins the most people, never leaving its own place uncovered when another unit holds it', () => {
    const [first, second, ...rest] = suggestMoveUps({ population, rows, idle, points, targetSeconds: 30 * M });
    expect(first).toMatchObject({ ambulanceId: 'NP01', pointId: 'SB-XH', pointName: '西湖镇卫生院', before: 0.5, after: 0.9, targetMinutes: 30 });
    expect(first!.words.zh).toBe('调 瓜州负压01 至 西湖镇卫生院 待命，负压覆盖人口（30分钟）由 50% 升至 90%');
    // Moving the second unit to 南岔 would uncover 渊泉 (1000 people): no gain, no suggestion.
    expect(second).toBeUndefined();
    expect(rest).toEqual([]);
  });

  it('with a unit to spare, suggests the next move on top of the first', () => {
    const three = new Map([...rows, ['NP03', atYuanquan]]);
    const moves = suggestMoveUps({ population, rows: three, idle: [...idle, { id: 'NP03', callSign: '瓜州负压03', at: yuanquan }], points, targetSeconds: 30 * M });
    expect(moves.map((m) => [m.ambulanceId, m.pointId, m.before, m.after])).toEqual([
      ['NP01', 'SB-XH', 0.5, 0.9],
      ['NP02', 'SB-NC', 0.9, 1],
    ]);
  });

  it('suggests nothing when coverage is whole, when the gain is under the minimum, or for a unit already at the point', () => {
    expect(suggestMoveUps({ population, rows: new Map([['NP01', [0, 0, 0]]]), idle, points, targetSeconds: 30 * M })).toEqual([]);
    expect(suggestMoveUps({ population, rows, idle, points, targetSeconds: 30 * M, minGain: 0.5 })).toEqual([]);
    const there = [{ id: 'NP01', callSign: '瓜州负压01', at: xihu }];
    expect(
      suggestMoveUps({
        population,
        rows: new Map([
          ['NP01', points[0]!.row],
          ['NP02', atYuanquan],
        ]),
        idle: there,
        points: [points[0]!],
        targetSeconds: 30 * M,
      }),
    ).toEqual([]);
  });

  it('counts a unit already moving at its destination (its row there), and moves only idle units', () => {
    // NP02 is on its way to 西湖 (not idle): the best move left for NP01 is none (it alone holds 渊泉).
    const moving = new Map([
      ['NP01', atYuanquan],
      ['NP02', points[0]!.row],
    ]);
    expect(suggestMoveUps({ population, rows: moving, idle: [idle[0]!], points, targetSeconds: 30 * M })).toEqual([]);
  });

  it('says it in English too', () => {
    expect(moveUpWords({ callSign: '瓜州负压02', pointName: '西湖镇卫生院', before: 0.61, after: 0.88, targetMinutes: 30 }).en).toBe(
      'Move 瓜州负压02 to 西湖镇卫生院 on standby: negative-pressure coverage (30 min) rises from 61% to 88% of the population',
    );
  });
});
