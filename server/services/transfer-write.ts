// A transfer task's step and its unit's, read, stepped and written together in one atomic
// store update (the domain's transfer machine decides the step; this writes it), with the
// board's words for a step refused. Dispatch (dispatch.ts) calls it for every step.
import { allowedNext, finishCancelledDisinfection, step, type StepRefusal } from '../domain/transfer-machine.ts';
import { proposal, type ArrivalPlace } from '../domain/arrival-fence.ts';
import { TASK_STATUS_ZH } from '../schema/words.ts';
import { Ambulance, TransferTask, type Change } from '../schema/index.ts';
import type { z } from 'zod';
import type { TransitionRequest } from '../schema/dispatch.ts';
import type { ChangeRefusal, Outcome } from '../schema/outcome.ts';
import type { LiveStore } from '../store/store.ts';

type Transition = z.output<typeof TransitionRequest>;

/** Done with the seq of what was written (null when nothing was: a recommendation), refused with details (the steps allowed…). */
export type DispatchOutcome<T> = Outcome<T, ChangeRefusal, { seq: number | null }, { details?: unknown }>;

const ARRIVAL_WORDS: Record<ArrivalPlace, string> = { pickup: '现场', hospital: '医院', decontamination: '洗消点' };

const REFUSAL_MESSAGES: Record<StepRefusal['reason'], string> = {
  illegal: '当前状态不允许此操作 (illegal step)',
  'unit-unavailable': '该车辆已被派出或不可用 (unit not available)',
  'needs-unit': '请指定车辆 (name the unit)',
  'needs-decontamination-point': '请指定洗消点 (name the decontamination point)',
  'disinfection-too-short': '终末消毒时间不足 (disinfection not long enough yet)',
  'needs-hospital': '请指定接收医院 (name the receiving hospital)',
};

/**
 * Moves the task and its unit together: both are read, stepped and written in one
 * atomic update, so two dispatchers assigning one unit cannot both win.
 */
export async function writeTransfer(
  store: LiveStore,
  now: number,
  minDisinfectionMs: number,
  initial: TransferTask,
  unitId: string | null,
  request: Transition,
  by: string,
  isNew: boolean,
): Promise<DispatchOutcome<TransferTask>> {
  let failure: DispatchOutcome<TransferTask> | null = null;
  let written: TransferTask | null = null;
  const keys = [{ collection: 'transfers' as const, id: initial.id }, ...(unitId ? [{ collection: 'ambulances' as const, id: unitId }] : [])];
  const delta = await store.updateMany(
    keys,
    ([storedTask, storedUnit]) => {
      failure = null;
      const task = isNew ? initial : (storedTask as TransferTask | undefined);
      if (isNew && storedTask) return fail({ ok: false, error: 'conflict', message: `transfers/${initial.id} exists` });
      if (!task) return fail({ ok: false, error: 'not-found', message: `transfers/${initial.id} does not exist` });
      const unit = (storedUnit as Ambulance | undefined) ?? null;
      if (unitId && !unit) return fail({ ok: false, error: 'not-found', message: `ambulances/${unitId} does not exist` });
      // Compare-and-set: a step clicked on a task another dispatcher (or the board) moved on meanwhile.
      if (request.from && task.status !== request.from) {
        return fail({
          ok: false,
          error: 'conflict',
          message: `任务已变为“${TASK_STATUS_ZH[task.status]}”，请刷新 (transfers/${task.id} is ${task.status} now, not ${request.from})`,
          details: { reason: 'changed', status: task.status, allowed: allowedNext(task) },
        });
      }
      const proposed = request.arrival ? proposal(task) : null;
      if (request.arrival && (!proposed || proposed.to !== request.to)) {
        return fail({
          ok: false,
          error: 'conflict',
          message: `到达提示已失效 (no arrival proposes ${request.to} for transfers/${task.id} now)`,
          details: { reason: 'no-proposal', status: task.status, allowed: allowedNext(task) },
        });
      }
      // Accepting an arrival: the step is dated at the arrival (never before the last step).
      const at = proposed ? Math.min(now, Math.max(proposed.arrivedAt, task.steps.at(-1)?.at ?? 0)) : now;
      const note = proposed ? [request.note, `定位检测到达 ${ARRIVAL_WORDS[proposed.place]} (arrival detected)`].filter(Boolean).join('；') : request.note;
      // The task changed hands meanwhile: it is not this unit's any more.
      if (!isNew && request.to !== 'assigned' && task.ambulanceId !== unitId) {
        return fail({ ok: false, error: 'conflict', message: `transfers/${task.id} changed meanwhile; reload it` });
      }
      const result =
        task.status === 'cancelled' && request.to === 'closed' && unit
          ? finishCancelledDisinfection(task, unit, { by, at: now, minDisinfectionMs: minDisinfectionMs, decontaminationPointId: request.decontaminationPointId })
          : step(task, request.to === 'assigned' ? null : unit, {
              to: request.to,
              by,
              at,
              ambulance: request.to === 'assigned' ? (unit ?? undefined) : undefined,
              decontaminationPointId: request.decontaminationPointId ?? (proposed?.place === 'decontamination' ? (proposed.placeId ?? undefined) : undefined),
              handover: request.handover,
              note,
              minDisinfectionMs: minDisinfectionMs,
            });
      if (!result.ok) {
        const { ok: _ok, ...refusal } = result;
        const error = refusal.reason === 'needs-unit' || refusal.reason === 'needs-decontamination-point' || refusal.reason === 'needs-hospital' ? 'invalid' : 'conflict';
        return fail({ ok: false, error, message: REFUSAL_MESSAGES[refusal.reason], details: refusal });
      }
      // The arrival watched for the old status is over; the entities were changed now.
      written = TransferTask.parse({ ...result.task, updatedAt: now, ...(result.task.arrival ? { arrival: null } : {}) });
      const changes: Change[] = [{ op: 'upsert', collection: 'transfers', entity: written }];
      if (result.ambulance) changes.push({ op: 'upsert', collection: 'ambulances', entity: Ambulance.parse({ ...result.ambulance, updatedAt: now }) });
      return changes;
    },
    now,
  );
  function fail(outcome: DispatchOutcome<TransferTask>): null {
    failure = outcome;
    return null;
  }
  if (failure) return failure;
  if (!delta || !written) return { ok: false, error: 'not-found', message: `transfers/${initial.id} does not exist` };
  return { ok: true, value: written, seq: delta.seq };
}
