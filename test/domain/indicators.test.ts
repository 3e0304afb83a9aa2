// The key figures at their boundaries: staffing per 20 people, escalation at the
// threshold, queue waits and crowded points, per-town sampling shares and the town populations
// they are shares of (a town record's population, else its grids' sum).
import { describe, expect, it } from 'vitest';
import { requiredStaff, staffingShortfall } from '../../server/domain/staffing.ts';
import { ambulanceIndicators, countyFacts, hospitalIndicators, isolationIndicators, samplingIndicators } from '../../server/domain/indicators.ts';
import type { Ambulance, GridProps, Hospital, IsolationHotel, SamplingPoint } from '../../server/schema/index.ts';

const hotel = (id: string, people: number, doctors: number, nurses: number): IsolationHotel =>
  ({
    id,
    name: id,
    location: [95.7, 40.5],
    gridId: null,
    updatedAt: 0,
    rooms: { total: 50, occupied: people, cleaning: 2 },
    people,
    checkInsToday: 0,
    checkOutsToday: 0,
    staff: { doctors, nurses },
  }) as IsolationHotel;

describe('staffing: one doctor and one nurse per 20 isolated people', () => {
  it.each([
    [0, 0],
    [1, 1],
    [20, 1],
    [21, 2],
    [40, 2],
    [41, 3],
  ])('%i people need %i of each', (people, n) => expect(requiredStaff(people)).toEqual({ doctors: n, nurses: n }));

  it('counts the shortfall per hotel and county-wide', () => {
    expect(staffingShortfall(hotel('a', 41, 3, 2))).toEqual({ doctors: 0, nurses: 1 });
    const iso = isolationIndicators([hotel('a', 41, 3, 2), hotel('b', 20, 1, 1), hotel('c', 21, 0, 2)]);
    expect(iso).toMatchObject({ people: 82, requiredDoctors: 6, requiredNurses: 6, doctors: 4, nurses: 5, roomsTotal: 150, roomsOccupied: 82, roomsCleaning: 6, roomsFree: 62 });
    expect(iso.shortHotels).toEqual([
      { id: 'c', name: 'c', doctors: 2, nurses: 0 },
      { id: 'a', name: 'a', doctors: 0, nurses: 1 },
    ]);
  });
});

const hospital = (id: string, role: Hospital['role'], occupied: number, maxCapacity = 100): Hospital =>
  ({
    id,
    name: id,
    role,
    location: [95.7, 40.5],
    gridId: null,
    updatedAt: 0,
    open: true,
    maxCapacity,
    beds: { treatment: { total: maxCapacity, occupied }, icu: { total: 0, occupied: 0 }, isolation: { total: 0, occupied: 0 } },
  }) as Hospital;

describe('hospital tiers and escalation', () => {
  it('escalates to the reserve at 50 % of the designated hospital, to the makeshift at 50 % of the reserve', () => {
    expect(hospitalIndicators([hospital('D', 'designated', 49), hospital('R', 'reserve', 60)]).escalation).toBe('none');
    expect(hospitalIndicators([hospital('D', 'designated', 50), hospital('R', 'reserve', 49)]).escalation).toBe('reserve');
    expect(hospitalIndicators([hospital('D', 'designated', 50), hospital('R', 'reserve', 50)]).escalation).toBe('makeshift');
    const h = hospitalIndicators([hospital('F', 'fever-clinic', 3, 6), hospital('R', 'reserve', 1), hospital('D', 'designated', 10)]);
    expect(h.tiers.map((t) => t.id)).toEqual(['D', 'R']);
    expect(h.feverClinics).toEqual({ occupied: 3, capacity: 6 });
  });
});

const point = (id: string, over: Partial<SamplingPoint>): SamplingPoint =>
  ({
    id,
    name: id,
    location: [95.7, 40.5],
    gridId: 'g1',
    updatedAt: 0,
    kind: 'fixed',
    serves: 'all',
    hours: null,
    status: 'open',
    queue: 0,
    desks: 1,
    deskThroughput: 60,
    samplesToday: 0,
    stock: { swabs: 1, tubes: 1 },
    ...over,
  }) as SamplingPoint;

describe('sampling', () => {
  it('counts open points, queues, crowded points (wait ≥ 50 min) and the mean wait of points with a queue', () => {
    const grids = new Map<string, GridProps>([['g1', { townName: '渊泉镇' } as GridProps]]);
    const s = samplingIndicators(
      [point('a', { queue: 50, samplesToday: 100 }), point('b', { queue: 49 }), point('c', { queue: 0, samplesToday: 20 }), point('d', { status: 'closed', queue: 9 })],
      grids,
      new Map([
        ['渊泉镇', 1000],
        ['西湖镇', 500],
      ]),
    );
    expect(s).toMatchObject({ totalPoints: 4, openPoints: 3, queuing: 99, crowdedPoints: 1, samplesToday: 120 });
    expect(s.averageWaitMinutes).toBeCloseTo(49.5, 9);
    expect(s.byTown).toEqual([
      { town: '渊泉镇', population: 1000, samplesToday: 120, share: 0.12 },
      { town: '西湖镇', population: 500, samplesToday: 0, share: 0 },
    ]);
  });
});

describe("town populations: the record's where it has one, else the sum of its grids", () => {
  const grid = (id: string, townCode: string, townName: string, population: number) => ({ id, townCode, townName, population }) as GridProps;
  const grids = [grid('g1', '620922100', '渊泉镇', 300), grid('g2', '620922100', '渊泉镇', 200), grid('g3', '620922101', '柳园镇', 50), grid('g4', '620922102', '三道沟镇', 70)];
  const cases: { name: string; towns: { code: string; population?: number | null }[]; expected: [string, number][] }[] = [
    {
      name: 'no records',
      towns: [],
      expected: [
        ['渊泉镇', 500],
        ['柳园镇', 50],
        ['三道沟镇', 70],
      ],
    },
    {
      name: 'records without populations',
      towns: [{ code: '620922100', population: null }, { code: '620922101' }],
      expected: [
        ['渊泉镇', 500],
        ['柳园镇', 50],
        ['三道沟镇', 70],
      ],
    },
    {
      name: 'a record with a population wins over its grids',
      towns: [
        { code: '620922100', population: 4200 },
        { code: '620922101', population: null },
      ],
      expected: [
        ['渊泉镇', 4200],
        ['柳园镇', 50],
        ['三道沟镇', 70],
      ],
    },
    {
      name: 'a population of 0 is a population',
      towns: [{ code: '620922101', population: 0 }],
      expected: [
        ['渊泉镇', 500],
        ['柳园镇', 0],
        ['三道沟镇', 70],
      ],
    },
    {
      name: 'a record with no grid adds no town',
      towns: [
        { code: '620922199', population: 900 },
        { code: '620922102', population: 75 },
      ],
      expected: [
        ['渊泉镇', 500],
        ['柳园镇', 50],
        ['三道沟镇', 75],
      ],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const facts = countyFacts(grids, c.towns);
      expect([...facts.townPopulation]).toEqual(c.expected);
      expect(facts.grids.get('g1')?.population).toBe(300);
    });

  it("the sampling share of a town is of the record's population", () => {
    const facts = countyFacts(grids, [{ code: '620922100', population: 1000 }]);
    const s = samplingIndicators([point('a', { gridId: 'g1', samplesToday: 100 }), point('b', { gridId: 'g3', samplesToday: 10 })], facts.grids, facts.townPopulation);
    expect(s.byTown).toEqual([
      { town: '渊泉镇', population: 1000, samplesToday: 100, share: 0.1 },
      { town: '三道沟镇', population: 70, samplesToday: 0, share: 0 },
      { town: '柳园镇', population: 50, samplesToday: 10, share: 0.2 },
    ]);
  });
});

describe('ambulances', () => {
  it('counts by status and the negative-pressure units free to go', () => {
    const unit = (id: string, kind: Ambulance['kind'], status: Ambulance['status'], taskId: string | null = null) => ({ id, kind, status, taskId }) as Ambulance;
    const a = ambulanceIndicators([
      unit('1', 'negative-pressure', 'available'),
      unit('2', 'negative-pressure', 'disinfecting'),
      unit('3', 'ordinary', 'available'),
      unit('4', 'negative-pressure', 'available', 'T1'),
    ]);
    expect(a.negativePressureAvailable).toBe(1);
    expect(a.negativePressureTotal).toBe(3);
    expect(a.byStatus).toMatchObject({ available: 3, disinfecting: 1, offline: 0 });
  });
});
