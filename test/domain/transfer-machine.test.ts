// The transfer task's states: every pair of statuses allowed or refused, the unit's
// status at each step, terminal disinfection before the unit is free again.
import { describe, expect, it } from 'vitest';
import { allowedNext, finishCancelledDisinfection, step, type StepInput } from '../../server/domain/transfer-machine.ts';
import type { Ambulance, TransferStatus, TransferTask } from '../../server/schema/index.ts';
import { TransferStatus as Statuses } from '../../server/schema/index.ts';
import { transfer } from '../helpers/fixtures.ts';

const MIN = 30 * 60_000;

function unit(over: Partial<Ambulance> = {}): Ambulance {
  return {
    id: 'NP01',
    callSign: '负压01',
    kind: 'negative-pressure',
    status: 'available',
    station: '县急救中心',
    crew: ['张医生', '李护士', '王司机'],
    fix: { lng: 95.78, lat: 40.52, at: 0, speed: 0, heading: 0 },
    gridId: 'G001',
    taskId: null,
    updatedAt: 0,
    ...over,
  };
}

function task(over: Partial<TransferTask> = {}): TransferTask {
  return transfer('T1', 0, { pickup: { location: [95.79, 40.53], gridId: 'G002', townName: '渊泉镇', address: '' }, patient: '', destinationId: 'HOSP-DESIGNATED', ...over });
}

const base = (to: TransferStatus, at: number, extra: Partial<StepInput> = {}): StepInput => ({ to, by: 'dispatcher', at, minDisinfectionMs: MIN, ...extra });

describe('the transfer task state machine', () => {
  it('allows exactly the documented steps and refuses every other pair with the allowed ones', () => {
    const expected: Record<TransferStatus, TransferStatus[]> = {
      created: ['assigned', 'cancelled'],
      assigned: ['en-route', 'cancelled'],
      'en-route': ['on-scene', 'cancelled'],
      'on-scene': ['transporting', 'cancelled'],
      transporting: ['handed-over', 'cancelled'],
      'handed-over': ['disinfecting'],
      disinfecting: ['closed'],
      closed: [],
      cancelled: [],
    };
    for (const from of Statuses.options) {
      expect(allowedNext({ status: from, highRisk: true })).toEqual(expected[from]);
      for (const to of Statuses.options) {
        const t = task({ status: from, ambulanceId: from === 'created' ? null : 'NP01', decontamination: { pointId: 'DECON-1', startedAt: 0, completedAt: null } });
        const u = from === 'created' ? null : unit({ status: 'dispatched', taskId: 'T1' });
        const result = step(t, u, base(to, 10 * MIN, { ambulance: unit(), decontaminationPointId: 'DECON-1' }));
        if (expected[from].includes(to)) expect(result.ok, `${from} → ${to}`).toBe(true);
        else expect(result, `${from} → ${to}`).toEqual({ ok: false, reason: 'illegal', allowed: expected[from] });
      }
    }
  });

  it('runs a high-risk transfer from call to disinfection, the unit busy until disinfection is recorded', () => {
    let t = task();
    let u: Ambulance | null = unit();
    const go = (to: TransferStatus, at: number, extra: Partial<StepInput> = {}) => {
      const r = step(t, u, base(to, at, extra));
      if (!r.ok) throw new Error(`${t.status} → ${to}: ${r.reason}`);
      t = r.task;
      u = r.ambulance;
    };
    go('assigned', 1000, { ambulance: u });
    expect([t.ambulanceId, u?.status, u?.taskId]).toEqual(['NP01', 'dispatched', 'T1']);
    go('en-route', 2000);
    expect(u?.status).toBe('dispatched');
    go('on-scene', 3000);
    expect(u?.status).toBe('on-scene');
    go('transporting', 4000);
    expect(u?.status).toBe('transporting');
    go('handed-over', 5000, { handover: { sendingSide: '渊泉镇卫生院', receivedBy: '急诊科 赵医生' } });
    expect(t.handover).toEqual({ sendingSide: '渊泉镇卫生院', crew: ['张医生', '李护士', '王司机'], receivingHospitalId: 'HOSP-DESIGNATED', receivedBy: '急诊科 赵医生' });
    expect(u?.status).toBe('handed-over');
    expect(step(t, u, base('disinfecting', 6000))).toEqual({ ok: false, reason: 'needs-decontamination-point' });
    go('disinfecting', 6000, { decontaminationPointId: 'DECON-1' });
    expect(u?.status).toBe('disinfecting');
    // Too early: refused, with how long is left.
    expect(step(t, u, base('closed', 6000 + MIN - 1))).toEqual({ ok: false, reason: 'disinfection-too-short', remainingMs: 1 });
    go('closed', 6000 + MIN);
    expect([u?.status, u?.taskId]).toEqual(['available', null]);
    expect(t.decontamination).toEqual({ pointId: 'DECON-1', startedAt: 6000, completedAt: 6000 + MIN });
    // Every step says who, when and where the unit was.
    expect(t.steps.map((s) => [s.from, s.to, s.at, s.by])).toEqual([
      ['created', 'assigned', 1000, 'dispatcher'],
      ['assigned', 'en-route', 2000, 'dispatcher'],
      ['en-route', 'on-scene', 3000, 'dispatcher'],
      ['on-scene', 'transporting', 4000, 'dispatcher'],
      ['transporting', 'handed-over', 5000, 'dispatcher'],
      ['handed-over', 'disinfecting', 6000, 'dispatcher'],
      ['disinfecting', 'closed', 6000 + MIN, 'dispatcher'],
    ]);
    expect(t.steps.every((s) => s.fix !== null && s.fix[0] === 95.78)).toBe(true);
  });

  it('refuses a unit that is not free', () => {
    for (const status of ['dispatched', 'disinfecting', 'offline', 'on-scene'] as const) {
      expect(step(task(), null, base('assigned', 1, { ambulance: unit({ status }) }))).toEqual({ ok: false, reason: 'unit-unavailable', unitStatus: status });
    }
    expect(step(task(), null, base('assigned', 1, { ambulance: unit({ taskId: 'T0' }) })).ok).toBe(false);
    expect(step(task(), null, base('assigned', 1))).toEqual({ ok: false, reason: 'needs-unit' });
  });

  it('closes a routine transfer at hand-over, without disinfection', () => {
    const routine = task({ rule: null, crew: 'ordinary', highRisk: false, status: 'handed-over', ambulanceId: 'AMB01' });
    expect(allowedNext(routine)).toEqual(['closed']);
    const r = step(routine, unit({ id: 'AMB01', kind: 'ordinary', status: 'handed-over', taskId: 'T1' }), base('closed', 10));
    expect(r.ok && [r.task.status, r.ambulance?.status]).toEqual(['closed', 'available']);
  });

  it('frees the unit on a cancellation before patient contact; after contact it must disinfect first', () => {
    const early = step(task({ status: 'en-route', ambulanceId: 'NP01' }), unit({ status: 'dispatched', taskId: 'T1' }), base('cancelled', 10));
    expect(early.ok && [early.task.status, early.ambulance?.status, early.ambulance?.taskId]).toEqual(['cancelled', 'available', null]);

    const contact = task({ status: 'transporting', ambulanceId: 'NP01' });
    const u = unit({ status: 'transporting', taskId: 'T1' });
    expect(step(contact, u, base('cancelled', 10))).toEqual({ ok: false, reason: 'needs-decontamination-point' });
    const late = step(contact, u, base('cancelled', 10, { decontaminationPointId: 'DECON-2' }));
    if (!late.ok) throw new Error(late.reason);
    expect([late.task.status, late.ambulance?.status, late.ambulance?.taskId]).toEqual(['cancelled', 'disinfecting', 'T1']);
    const tooSoon = finishCancelledDisinfection(late.task, late.ambulance!, { by: 'd', at: 10 + MIN - 5, minDisinfectionMs: MIN });
    expect(tooSoon).toEqual({ ok: false, reason: 'disinfection-too-short', remainingMs: 5 });
    const done = finishCancelledDisinfection(late.task, late.ambulance!, { by: 'd', at: 10 + MIN, minDisinfectionMs: MIN });
    expect(done.ok && [done.task.status, done.task.decontamination?.completedAt, done.ambulance?.status, done.ambulance?.taskId]).toEqual([
      'cancelled',
      10 + MIN,
      'available',
      null,
    ]);
  });
});
