// A unit's move task (move-up), written compare-and-set: accepted only while the unit is
// still idle and no other move of it is en route; ended (arrived or cancelled) only while it
// is en route. Coverage (coverage.ts) decides what to suggest and keeps its caches; these
// write the store.
import { eligibility } from '../domain/eligibility.ts';
import type { MoveUpSuggestion, StandbyPoint } from '../domain/coverage.ts';
import { MoveTask, type Ambulance } from '../schema/index.ts';
import type { Outcome } from '../schema/outcome.ts';
import type { LiveStore } from '../store/store.ts';

export type MoveOutcome = Outcome<MoveTask, 'not-found' | 'conflict', { seq: number }, { suggestions?: MoveUpSuggestion[] }>;

export const moveTaskId = (ambulanceId: string): string => `MV-${ambulanceId}`;

/** The unit's move to `point` as `suggestion` proposed it, if the unit is still available and not already moving. */
export async function writeMoveTask(
  store: LiveStore,
  now: number,
  fixStaleMs: number,
  ambulanceId: string,
  point: StandbyPoint,
  suggestion: MoveUpSuggestion,
  by: string,
): Promise<MoveOutcome> {
  const id = moveTaskId(ambulanceId);
  let failure: MoveOutcome | null = null;
  let written: MoveTask | null = null;
  const delta = await store.updateMany(
    [
      { collection: 'ambulances', id: ambulanceId },
      { collection: 'moveTasks', id },
    ],
    ([unit, existing]) => {
      failure = null;
      const a = unit as Ambulance | undefined;
      const move = existing as MoveTask | undefined;
      if (!a) return fail({ ok: false, error: 'not-found', message: `ambulances/${ambulanceId} does not exist` });
      if (eligibility(a, now, fixStaleMs) !== 'eligible') return fail({ ok: false, error: 'conflict', message: `${a.callSign}已不在待命状态 (unit no longer available)` });
      if (move?.status === 'en-route') return fail({ ok: false, error: 'conflict', message: `${a.callSign}已在前往${move.pointName}途中 (already moving)` });
      written = MoveTask.parse({
        id,
        kind: 'move',
        ambulanceId,
        callSign: a.callSign,
        pointId: point.id,
        pointName: point.name,
        location: point.location,
        status: 'en-route',
        coverageBefore: suggestion.before,
        coverageAfter: suggestion.after,
        targetMinutes: suggestion.targetMinutes,
        createdBy: by,
        createdAt: now,
        endedAt: null,
        updatedAt: now,
      });
      return [{ op: 'upsert', collection: 'moveTasks', entity: written }];
    },
    now,
  );
  function fail(outcome: MoveOutcome): null {
    failure = outcome;
    return null;
  }
  if (failure) return failure;
  if (!delta || !written) return { ok: false, error: 'not-found', message: `moveTasks/${id} was not written` };
  return { ok: true, value: written, seq: delta.seq };
}

/** Ends a move en route. */
export async function endMoveTask(store: LiveStore, now: number, id: string, status: 'arrived' | 'cancelled'): Promise<MoveOutcome> {
  let refusal: string | null = null;
  let next: MoveTask | null = null;
  const delta = await store.update(
    'moveTasks',
    id,
    (m) => {
      refusal = null;
      next = null;
      if (!m) return null;
      if (m.status !== 'en-route') {
        refusal = `move is ${m.status}`;
        return null;
      }
      next = { ...m, status, endedAt: now, updatedAt: now };
      return [{ op: 'upsert', collection: 'moveTasks', entity: next }];
    },
    now,
  );
  if (refusal) return { ok: false, error: 'conflict', message: refusal };
  const ended = next as MoveTask | null;
  if (!delta || !ended) return { ok: false, error: 'not-found', message: `moveTasks/${id} does not exist` };
  return { ok: true, value: ended, seq: delta.seq };
}
