// Which units may take a call now (issue 5, "Recommendation"): of the required kind,
// available (not on a task, not disinfecting, online), and with a fresh position — a
// fix older than the limit (default 120 s) counts as an unknown position. Pure.
import type { Ambulance, AmbulanceKind } from '../schema/index.ts';
import type { CrewRequirement } from './dispatch-rules.ts';
import { isFixStale } from './fix-age.ts';

export type Eligibility = 'eligible' | 'busy' | 'disinfecting' | 'offline' | 'stale-fix';

export function eligibility(a: Ambulance, now: number, fixStaleMs: number): Eligibility {
  if (a.status === 'offline') return 'offline';
  if (a.status === 'disinfecting') return 'disinfecting';
  if (a.status !== 'available' || a.taskId !== null) return 'busy';
  if (isFixStale(a.fix, now, fixStaleMs)) return 'stale-fix';
  return 'eligible';
}

/** The kind of unit a crew requirement calls for. */
export function kindFor(crew: CrewRequirement): AmbulanceKind {
  return crew === 'negative-pressure' ? 'negative-pressure' : 'ordinary';
}
