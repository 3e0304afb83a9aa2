// Arrivals detected from a unit's fixes, without flapping: a geofence with hysteresis
// (as Tile38's users ask for against GPS jitter). A unit has arrived at a place once it
// came within the enter radius and stayed, never past the larger leave radius, for the
// dwell time; the time of arrival is its first fix inside. It has left only once past the
// leave radius. One arrival per stop: after arriving, coming back proposes nothing new.
// Pure: fixes and places in, the fence's next state and what happened out.
import type { Hospital, LngLat, TransferStatus, TransferTask } from '../schema/index.ts';
import { distanceMeters } from '../geo/distance.ts';

export interface FenceSettings {
  /** Within this of the place a unit is coming in. */
  enterMeters: number;
  /** Only past this has it left (more than enterMeters: the hysteresis band). */
  leaveMeters: number;
  /** How long it must stay, never past leaveMeters, to have arrived. */
  dwellMs: number;
}

/** The county's defaults (config.ts takes them unless ARRIVAL_* say otherwise). */
export const ARRIVAL_DEFAULTS: FenceSettings = { enterMeters: 100, leaveMeters: 250, dwellMs: 30_000 };

export interface FenceState {
  /** The first fix within enterMeters (since the unit was last outside), or null. */
  enteredAt: number | null;
  /** Set once it stayed the dwell time: the time of arrival (= enteredAt). */
  arrivedAt: number | null;
  /** After arriving, the first fix past leaveMeters. */
  leftAt: number | null;
}

export type FenceEvent = 'entered' | 'arrived' | 'passed' | 'left' | null;

export const OUTSIDE: FenceState = { enteredAt: null, arrivedAt: null, leftAt: null };

/**
 * The fence after one fix `meters` from the place at time `at`. 'passed': it came in but
 * left again before the dwell time (driving by). A fence that has arrived and left is done.
 */
export function stepFence(state: FenceState, meters: number, at: number, s: FenceSettings): { state: FenceState; event: FenceEvent } {
  if (state.arrivedAt !== null) {
    if (state.leftAt === null && meters > s.leaveMeters) return { state: { ...state, leftAt: at }, event: 'left' };
    return { state, event: null };
  }
  if (state.enteredAt === null) {
    if (meters > s.enterMeters) return { state, event: null };
    const entered = { enteredAt: at, arrivedAt: null, leftAt: null };
    return s.dwellMs <= 0 ? { state: { ...entered, arrivedAt: at }, event: 'arrived' } : { state: entered, event: 'entered' };
  }
  if (meters > s.leaveMeters) return { state: OUTSIDE, event: 'passed' };
  if (at - state.enteredAt >= s.dwellMs) return { state: { ...state, arrivedAt: state.enteredAt }, event: 'arrived' };
  return { state, event: null };
}

/** Where a task's unit is heading next, and the step its arrival there proposes. */
export type ArrivalPlace = 'pickup' | 'hospital' | 'decontamination';
export interface ArrivalTarget {
  place: ArrivalPlace;
  placeId: string | null;
  location: LngLat;
  proposes: TransferStatus;
}

/** What a task's arrival record holds: the fence for one status of the task. */
export type TaskArrival = NonNullable<TransferTask['arrival']>;

/**
 * The place a task's unit is expected at while the task is in its status: the pickup
 * while en route (到达现场), the destination hospital while transporting (已交接), the
 * nearest decontamination point after a high-risk hand-over (洗消中); null otherwise.
 */
export function arrivalTarget(
  task: Pick<TransferTask, 'status' | 'highRisk' | 'pickup' | 'destinationId'>,
  fix: LngLat,
  places: { hospitals: Record<string, Pick<Hospital, 'id' | 'location'>>; decontaminationPoints: readonly { id: string; location: LngLat }[] },
): ArrivalTarget | null {
  if (task.status === 'en-route') return { place: 'pickup', placeId: null, location: task.pickup.location, proposes: 'on-scene' };
  if (task.status === 'transporting') {
    const h = task.destinationId ? places.hospitals[task.destinationId] : undefined;
    return h ? { place: 'hospital', placeId: h.id, location: h.location, proposes: 'handed-over' } : null;
  }
  if (task.status === 'handed-over' && task.highRisk) {
    let best: { id: string; location: LngLat } | null = null;
    let bestMeters = Infinity;
    for (const p of places.decontaminationPoints) {
      const m = distanceMeters(fix[0], fix[1], p.location[0], p.location[1]);
      if (m < bestMeters) [best, bestMeters] = [p, m];
    }
    return best ? { place: 'decontamination', placeId: best.id, location: best.location, proposes: 'disinfecting' } : null;
  }
  return null;
}

/**
 * The task's arrival record after its unit's fix: a fresh fence when the task moved to
 * another status (or the nearest decontamination point changed before the unit came in),
 * the fence stepped otherwise. Returns the record unchanged (the same object) when the fix
 * changed nothing, so a caller writes only on a change; null when the status expects no arrival.
 */
export function nextArrival(
  task: Pick<TransferTask, 'status' | 'highRisk' | 'pickup' | 'destinationId' | 'arrival'>,
  fix: { lng: number; lat: number; at: number },
  places: Parameters<typeof arrivalTarget>[2],
  s: FenceSettings,
): { arrival: TaskArrival | null; event: FenceEvent } {
  const current = task.arrival ?? null;
  const same = current !== null && current.status === task.status;
  // Once arrived, the place stays the one it arrived at.
  if (same && current.arrivedAt !== null) {
    const r = stepFence(current, distanceMeters(fix.lng, fix.lat, current.location[0], current.location[1]), fix.at, s);
    return r.event ? { arrival: { ...current, ...r.state }, event: r.event } : { arrival: current, event: null };
  }
  const target = arrivalTarget(task, [fix.lng, fix.lat], places);
  if (!target) return { arrival: current, event: null };
  const base: TaskArrival = same && current.place === target.place && current.placeId === target.placeId ? current : { status: task.status, ...target, ...OUTSIDE };
  const r = stepFence(base, distanceMeters(fix.lng, fix.lat, target.location[0], target.location[1]), fix.at, s);
  // Nothing happened (a fresh fence still outside is not worth a write either).
  if (!r.event) return { arrival: current, event: null };
  return { arrival: { ...base, ...r.state }, event: r.event };
}

/** The step a task's arrival proposes now, with the time of arrival: null when none stands. */
export function proposal(task: Pick<TransferTask, 'status' | 'arrival'>): { to: TransferStatus; arrivedAt: number; place: ArrivalPlace; placeId: string | null } | null {
  const a = task.arrival;
  if (!a || a.status !== task.status || a.arrivedAt === null) return null;
  return { to: a.proposes, arrivedAt: a.arrivedAt, place: a.place, placeId: a.placeId };
}
