// Arrivals with hysteresis (server/domain/arrival-fence.ts), against tables: coming in,
// staying the dwell time, driving by, leaving only past the larger radius; the place each
// status of a task expects its unit at, and the step its arrival proposes.
import { describe, expect, it } from 'vitest';
import { arrivalTarget, nextArrival, OUTSIDE, proposal, stepFence, type FenceEvent, type FenceState } from '../../server/domain/arrival-fence.ts';
import type { TransferStatus } from '../../server/schema/index.ts';
import { transfer } from '../helpers/fixtures.ts';

const S = { enterMeters: 100, leaveMeters: 250, dwellMs: 30_000 };
const IN = (enteredAt: number): FenceState => ({ enteredAt, arrivedAt: null, leftAt: null });
const ARRIVED = (at: number): FenceState => ({ enteredAt: at, arrivedAt: at, leftAt: null });

describe('the fence, one fix at a time', () => {
  const rows: [string, FenceState, number, number, FenceEvent, FenceState][] = [
    ['outside, still outside the arrival radius', OUTSIDE, 101, 0, null, OUTSIDE],
    ['outside, in the band between the radii: not in yet', OUTSIDE, 200, 0, null, OUTSIDE],
    ['outside, within the arrival radius: coming in', OUTSIDE, 100, 5_000, 'entered', IN(5_000)],
    ['coming in, in the band: still coming in (hysteresis)', IN(5_000), 240, 20_000, null, IN(5_000)],
    ['coming in, dwell not yet met', IN(5_000), 10, 34_999, null, IN(5_000)],
    ['coming in, dwell met in the band: arrived at its first fix inside', IN(5_000), 200, 35_000, 'arrived', ARRIVED(5_000)],
    ['coming in, past the leave radius before the dwell: drove by', IN(5_000), 251, 20_000, 'passed', OUTSIDE],
    ['arrived, in the band: still there', ARRIVED(5_000), 249, 90_000, null, ARRIVED(5_000)],
    ['arrived, past the leave radius: left', ARRIVED(5_000), 251, 90_000, 'left', { ...ARRIVED(5_000), leftAt: 90_000 }],
    ['arrived and left, back inside: no second arrival', { ...ARRIVED(5_000), leftAt: 90_000 }, 5, 120_000, null, { ...ARRIVED(5_000), leftAt: 90_000 }],
  ];
  it.each(rows)('%s', (_what, state, meters, at, event, next) => {
    expect(stepFence(state, meters, at, S)).toEqual({ state: next, event });
  });

  it('with no dwell time, arrives on the first fix inside', () => {
    expect(stepFence(OUTSIDE, 50, 7, { ...S, dwellMs: 0 })).toEqual({ state: ARRIVED(7), event: 'arrived' });
  });

  it('a track jittering across the arrival radius arrives once and leaves once', () => {
    // Metres from the place, one fix a second: in and out of 100 m, then parked, then away.
    const track = [300, 180, 120, 95, 105, 99, 130, 90, 110, 80, ...Array(40).fill(60), 120, 240, 90, 260, 400];
    let state = OUTSIDE;
    const events: FenceEvent[] = [];
    track.forEach((m, i) => {
      const r = stepFence(state, m, i * 1000, S);
      state = r.state;
      if (r.event) events.push(r.event);
    });
    expect(events).toEqual(['entered', 'arrived', 'left']);
    expect(state).toEqual({ enteredAt: 3_000, arrivedAt: 3_000, leftAt: 53_000 });
  });
});

describe('where a task expects its unit, and what its arrival proposes', () => {
  const hospitals = { H1: { id: 'H1', location: [95.8, 40.5] as [number, number] } };
  const decontaminationPoints = [
    { id: 'D-far', location: [96.5, 41.0] as [number, number] },
    { id: 'D-near', location: [95.81, 40.51] as [number, number] },
  ];
  const places = { hospitals, decontaminationPoints };
  const t = (status: TransferStatus, highRisk = true) =>
    transfer('T1', 0, { status, highRisk, ambulanceId: 'NP01', destinationId: 'H1', pickup: { location: [95.7, 40.4], gridId: null, townName: '渊泉镇', address: '' } });
  const rows: [TransferStatus, boolean, string | null][] = [
    ['assigned', true, null],
    ['en-route', true, 'pickup:null:on-scene'],
    ['on-scene', true, null],
    ['transporting', true, 'hospital:H1:handed-over'],
    ['handed-over', true, 'decontamination:D-near:disinfecting'],
    ['handed-over', false, null],
    ['disinfecting', true, null],
  ];
  it.each(rows)('%s (high risk %s) → %s', (status, highRisk, expected) => {
    const target = arrivalTarget(t(status, highRisk), [95.8, 40.5], places);
    expect(target ? `${target.place}:${target.placeId}:${target.proposes}` : null).toBe(expected);
  });

  it('writes nothing until the unit comes in, proposes once it stayed, and is stale once the task moves on', () => {
    const task = t('en-route');
    const far = { lng: 95.75, lat: 40.45, at: 1_000 };
    expect(nextArrival(task, far, places, S)).toEqual({ arrival: null, event: null });
    const near = (at: number) => ({ lng: 95.7003, lat: 40.4002, at });
    const entered = nextArrival(task, near(2_000), places, S);
    expect(entered.event).toBe('entered');
    expect(entered.arrival).toMatchObject({ status: 'en-route', place: 'pickup', proposes: 'on-scene', enteredAt: 2_000, arrivedAt: null });
    const dwelling = { ...task, arrival: entered.arrival };
    // The same fence, a fix that changes nothing: the very same record back (no write).
    expect(nextArrival(dwelling, near(10_000), places, S).arrival).toBe(entered.arrival);
    expect(proposal(dwelling)).toBeNull();
    const arrived = nextArrival(dwelling, near(32_000), places, S);
    expect(arrived.event).toBe('arrived');
    const proposing = { ...task, arrival: arrived.arrival };
    expect(proposal(proposing)).toEqual({ to: 'on-scene', arrivedAt: 2_000, place: 'pickup', placeId: null });
    // Moved on to on-scene: the record is stale, nothing proposed, no fence for on-scene.
    expect(proposal({ ...proposing, status: 'on-scene' })).toBeNull();
    expect(nextArrival({ ...proposing, status: 'on-scene' }, near(40_000), places, S).arrival).toBe(arrived.arrival);
    // Transporting: a fresh fence for the hospital.
    const atHospital = nextArrival({ ...proposing, status: 'transporting' }, { lng: 95.8, lat: 40.5, at: 50_000 }, places, S);
    expect(atHospital.arrival).toMatchObject({ status: 'transporting', place: 'hospital', placeId: 'H1', enteredAt: 50_000, arrivedAt: null });
  });
});
