// The 120 centre's figures against tables of tasks written out by hand: rolling within
// 3 minutes (on time, late, never, still open, reassigned), response time mean and p90,
// same- and cross-area, call to hand-over, disinfection turnaround, the fleet's share of
// negative-pressure units, and the window.
import { describe, expect, it } from 'vitest';
import { durations, kpi120, ROLL_LIMIT_MS } from '../../server/domain/kpi-120.ts';
import type { Ambulance, LngLat, TransferStatus, TransferTask } from '../../server/schema/index.ts';

const MIN = 60_000;
const T0 = Date.UTC(2022, 3, 12, 1, 0); // 09:00 in China
const WEST: LngLat = [95.0, 40.5]; // in 西湖镇 for townAt below
const EAST: LngLat = [96.0, 40.5]; // in 渊泉镇
const townAt = ([lng]: LngLat) => (lng < 95.5 ? '西湖镇' : '渊泉镇');

/** A task called at T0 + callMin, through the steps given as [status, minutes after the call, unit fix]. */
function task(id: string, callMin: number, steps: [TransferStatus, number, LngLat?][], pickupTown: string | null = '渊泉镇'): TransferTask {
  const at = T0 + callMin * MIN;
  const last = steps.at(-1);
  return {
    id,
    ambulanceId: 'NP01',
    status: last ? last[0] : 'created',
    call: { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false },
    rule: 1,
    crew: 'negative-pressure',
    highRisk: true,
    pickup: { location: EAST, gridId: null, townName: pickupTown, address: '' },
    patient: '',
    destinationId: null,
    crossDistrict: false,
    handover: null,
    decontamination: null,
    steps: [{ from: null, to: 'created', at, by: 'd', fix: null }, ...steps.map(([to, m, fix]) => ({ from: null, to, at: at + m * MIN, by: 'd', fix: fix ?? null }))],
    createdBy: 'd',
    createdAt: at,
    updatedAt: at,
  };
}

const unit = (id: string, kind: Ambulance['kind']): Ambulance => ({
  id,
  callSign: id,
  kind,
  status: 'available',
  station: '',
  crew: [],
  fix: null,
  gridId: null,
  taskId: null,
  updatedAt: 0,
});

const window = (now = T0 + 24 * 60 * MIN) => ({ from: T0, to: T0 + 24 * 60 * MIN, now, townAt });

describe('durations', () => {
  it.each([
    [[], { count: 0, meanMinutes: null, p90Minutes: null }],
    [[10 * MIN], { count: 1, meanMinutes: 10, p90Minutes: 10 }],
    // 1..10 minutes: mean 5.5, p90 by nearest rank is the 9th value.
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m * MIN), { count: 10, meanMinutes: 5.5, p90Minutes: 9 }],
    // 11 values: rank ceil(9.9) = 10.
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => m * MIN), { count: 11, meanMinutes: 6, p90Minutes: 10 }],
    [[90_000, 30_000], { count: 2, meanMinutes: 1, p90Minutes: 1.5 }],
  ])('%j → %j', (ms, expected) => {
    expect(durations(ms)).toEqual(expected);
  });
});

describe('the 120 centre’s figures', () => {
  it('counts rolling within 3 minutes of the (last) assignment', () => {
    const tasks = [
      task('on-time', 0, [
        ['assigned', 1],
        ['en-route', 3],
      ]), // 2 min
      task('exactly', 10, [
        ['assigned', 1],
        ['en-route', 1 + ROLL_LIMIT_MS / MIN],
      ]), // 3 min: in time
      task('late', 20, [
        ['assigned', 1],
        ['en-route', 5],
      ]), // 4 min
      task('never', 30, [
        ['assigned', 1],
        ['cancelled', 30],
      ]), // assigned, never rolled
      task('reassigned', 40, [
        ['assigned', 1],
        ['assigned', 10],
        ['en-route', 12],
      ]), // 2 min after the second
      task('unassigned', 50, []), // waiting for a unit: not counted
    ];
    const k = kpi120(tasks, [], window());
    expect(k.calls).toBe(6);
    expect(k.rolling).toEqual({ assigned: 5, within3Min: 3, share: 0.6, target: 0.95 });
  });

  it('leaves out a task assigned under 3 minutes ago that has not rolled yet, and counts it once 3 minutes pass', () => {
    const tasks = [task('just', 0, [['assigned', 1]])];
    expect(kpi120(tasks, [], window(T0 + 2 * MIN)).rolling).toMatchObject({ assigned: 0, share: null });
    expect(kpi120(tasks, [], window(T0 + 5 * MIN)).rolling).toMatchObject({ assigned: 1, within3Min: 0, share: 0 });
  });

  it('measures response from the call to the scene, split by whether the unit was in the pickup’s town', () => {
    const tasks = [
      task('a', 0, [
        ['assigned', 1, EAST],
        ['en-route', 2],
        ['on-scene', 12],
      ]), // same town, 12 min
      task('b', 5, [
        ['assigned', 1, EAST],
        ['en-route', 2],
        ['on-scene', 20],
      ]), // same town, 20 min
      task('c', 9, [
        ['assigned', 2, WEST],
        ['en-route', 3],
        ['on-scene', 40],
      ]), // from 西湖镇, 40 min
      task('d', 15, [
        ['assigned', 1],
        ['en-route', 2],
        ['on-scene', 8],
      ]), // no fix at assignment: area unknown
      task('e', 20, [
        ['assigned', 1, EAST],
        ['en-route', 2],
      ]), // not on scene yet
    ];
    const k = kpi120(tasks, [], window());
    expect(k.response).toMatchObject({ count: 4, meanMinutes: 20, p90Minutes: 40, unknownArea: 1 });
    expect(k.response.sameArea).toEqual({ count: 2, meanMinutes: 16, p90Minutes: 20 });
    expect(k.response.crossArea).toEqual({ count: 1, meanMinutes: 40, p90Minutes: 40 });
  });

  it('measures call to hand-over and the disinfection turnaround', () => {
    const tasks = [
      task('a', 0, [
        ['assigned', 1],
        ['en-route', 2],
        ['on-scene', 10],
        ['transporting', 15],
        ['handed-over', 45],
        ['disinfecting', 50],
        ['closed', 80],
      ]),
      task('b', 0, [
        ['assigned', 1],
        ['en-route', 2],
        ['on-scene', 10],
        ['transporting', 15],
        ['handed-over', 55],
        ['disinfecting', 60],
      ]), // still disinfecting
    ];
    const k = kpi120(tasks, [], window());
    expect(k.toHandover).toEqual({ count: 2, meanMinutes: 50, p90Minutes: 55 });
    expect(k.disinfection).toEqual({ count: 1, meanMinutes: 30, p90Minutes: 30 });
  });

  it('gives the fleet’s share of negative-pressure units against the 40 % target', () => {
    const fleet = [unit('NP01', 'negative-pressure'), unit('NP02', 'negative-pressure'), unit('A1', 'ordinary'), unit('A2', 'ordinary'), unit('A3', 'ordinary')];
    expect(kpi120([], fleet, window()).fleet).toEqual({ total: 5, negativePressure: 2, share: 0.4, target: 0.4 });
    expect(kpi120([], [], window()).fleet.share).toBeNull();
  });

  it('counts only the calls received in the window', () => {
    const tasks = [
      task('before', -1, [
        ['assigned', 0.5],
        ['en-route', 1],
      ]),
      task('in', 0, [
        ['assigned', 1],
        ['en-route', 2],
      ]),
      task('after', 24 * 60, [
        ['assigned', 1],
        ['en-route', 2],
      ]),
    ];
    const k = kpi120(tasks, [], window());
    expect(k.calls).toBe(1);
    expect(k.rolling.assigned).toBe(1);
  });
});
