// A transfer task's state machine and what each step does to its ambulance. Pure:
// the dispatch service reads the task and the unit, asks `step` for the next state of
// both, and writes them together atomically.
//
//   created → assigned → en-route → on-scene → transporting → handed-over
//           → disinfecting → closed          (cancelled from any state before handed-over)
//
// The unit is unavailable from assignment until its terminal disinfection (终末消毒)
// is recorded at a decontamination point, no sooner than a minimum time after it
// started. A routine (non-rule) transfer needs no terminal disinfection: handed-over →
// closed. A high-risk task cancelled after the crew reached the patient still sends
// the unit to disinfection.
import type { Ambulance, AmbulanceStatus, LngLat, TransferStatus, TransferTask } from '../schema/index.ts';

const FORWARD: Record<TransferStatus, TransferStatus[]> = {
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

/** The statuses a task may move to next. */
export function allowedNext(task: Pick<TransferTask, 'status' | 'highRisk'>): TransferStatus[] {
  if (task.status === 'handed-over' && !task.highRisk) return ['closed'];
  return FORWARD[task.status];
}

/** What the unit is doing while its task is in this state. */
const UNIT_STATUS: Partial<Record<TransferStatus, AmbulanceStatus>> = {
  assigned: 'dispatched',
  'en-route': 'dispatched',
  'on-scene': 'on-scene',
  transporting: 'transporting',
  'handed-over': 'handed-over',
  disinfecting: 'disinfecting',
};

export type StepRefusal =
  | { reason: 'illegal'; allowed: TransferStatus[] }
  | { reason: 'unit-unavailable'; unitStatus: AmbulanceStatus | 'missing' }
  | { reason: 'needs-unit' }
  | { reason: 'needs-decontamination-point' }
  | { reason: 'disinfection-too-short'; remainingMs: number }
  | { reason: 'needs-hospital' };

export interface StepInput {
  to: TransferStatus;
  by: string;
  at: number;
  /** Assigning: the unit. */
  ambulance?: Ambulance;
  /** Entering disinfection, or recording it done: where. */
  decontaminationPointId?: string;
  /** Handing over: who sent the patient and who received them where. */
  handover?: { sendingSide: string; receivingHospitalId?: string; receivedBy: string };
  note?: string;
  /** Minimum time a terminal disinfection takes. */
  minDisinfectionMs: number;
}

export type StepResult = { ok: true; task: TransferTask; ambulance: Ambulance | null } | ({ ok: false } & StepRefusal);

const fixOf = (a: Ambulance | null | undefined): LngLat | null => (a?.fix ? [a.fix.lng, a.fix.lat] : null);

/** Whether a unit may be given a new task. */
export function unitIsFree(a: Ambulance): boolean {
  return a.status === 'available' && a.taskId === null;
}

/**
 * The task after moving it to `input.to`, and its unit after (null when the task has
 * no unit). `unit` is the task's current unit, or the one being assigned.
 */
export function step(task: TransferTask, unit: Ambulance | null, input: StepInput): StepResult {
  const allowed = allowedNext(task);
  if (!allowed.includes(input.to)) return { ok: false, reason: 'illegal', allowed };
  const at = input.at;
  let next: TransferTask = { ...task, status: input.to, updatedAt: at };
  let nextUnit: Ambulance | null = unit ? { ...unit, updatedAt: at } : null;

  switch (input.to) {
    case 'assigned': {
      const a = input.ambulance;
      if (!a) return { ok: false, reason: 'needs-unit' };
      if (!unitIsFree(a)) return { ok: false, reason: 'unit-unavailable', unitStatus: a.status };
      next.ambulanceId = a.id;
      nextUnit = { ...a, status: 'dispatched', taskId: task.id, updatedAt: at };
      break;
    }
    case 'handed-over': {
      const receivingHospitalId = input.handover?.receivingHospitalId ?? task.destinationId;
      if (!receivingHospitalId) return { ok: false, reason: 'needs-hospital' };
      next.handover = {
        sendingSide: input.handover?.sendingSide ?? '',
        crew: unit?.crew ?? [],
        receivingHospitalId,
        receivedBy: input.handover?.receivedBy ?? '',
      };
      break;
    }
    case 'disinfecting': {
      if (!input.decontaminationPointId) return { ok: false, reason: 'needs-decontamination-point' };
      next.decontamination = { pointId: input.decontaminationPointId, startedAt: at, completedAt: null };
      break;
    }
    case 'closed': {
      if (task.status === 'disinfecting') {
        const started = task.decontamination?.startedAt ?? at;
        const remainingMs = started + input.minDisinfectionMs - at;
        if (remainingMs > 0) return { ok: false, reason: 'disinfection-too-short', remainingMs };
        next.decontamination = {
          pointId: input.decontaminationPointId ?? task.decontamination?.pointId ?? '',
          startedAt: started,
          completedAt: at,
        };
      }
      break;
    }
    case 'cancelled': {
      // Contact with a high-risk patient: the unit still needs terminal disinfection.
      const contact = task.status === 'on-scene' || task.status === 'transporting';
      if (nextUnit && contact && task.highRisk) {
        if (!input.decontaminationPointId) return { ok: false, reason: 'needs-decontamination-point' };
        next.decontamination = { pointId: input.decontaminationPointId, startedAt: at, completedAt: null };
        nextUnit = { ...nextUnit, status: 'disinfecting' };
        next = addStep(next, task.status, input, unit);
        return { ok: true, task: next, ambulance: nextUnit };
      }
      break;
    }
    default:
      break;
  }

  if (nextUnit && input.to !== 'assigned') {
    const status = UNIT_STATUS[input.to];
    // Closed or cancelled: the unit is free again (its task is over, disinfection done).
    nextUnit = status ? { ...nextUnit, status } : { ...nextUnit, status: 'available', taskId: null };
  }
  next = addStep(next, task.status, input, nextUnit ?? unit);
  return { ok: true, task: next, ambulance: nextUnit };
}

function addStep(task: TransferTask, from: TransferStatus, input: StepInput, unit: Ambulance | null): TransferTask {
  const record = { from, to: input.to, at: input.at, by: input.by, fix: fixOf(unit), ...(input.note ? { note: input.note } : {}) };
  return { ...task, steps: [...task.steps, record] };
}

/**
 * Recording the terminal disinfection of a unit whose task was cancelled after patient
 * contact (the task stays cancelled; the unit becomes available).
 */
export function finishCancelledDisinfection(
  task: TransferTask,
  unit: Ambulance,
  input: { by: string; at: number; minDisinfectionMs: number; decontaminationPointId?: string },
): StepResult {
  if (task.status !== 'cancelled' || unit.taskId !== task.id || unit.status !== 'disinfecting' || !task.decontamination) {
    return { ok: false, reason: 'illegal', allowed: allowedNext(task) };
  }
  const remainingMs = task.decontamination.startedAt + input.minDisinfectionMs - input.at;
  if (remainingMs > 0) return { ok: false, reason: 'disinfection-too-short', remainingMs };
  const next: TransferTask = {
    ...task,
    updatedAt: input.at,
    decontamination: { ...task.decontamination, pointId: input.decontaminationPointId ?? task.decontamination.pointId, completedAt: input.at },
    steps: [...task.steps, { from: 'cancelled', to: 'cancelled', at: input.at, by: input.by, fix: fixOf(unit), note: '终末消毒完成 terminal disinfection done' }],
  };
  return { ok: true, task: next, ambulance: { ...unit, status: 'available', taskId: null, updatedAt: input.at } };
}
