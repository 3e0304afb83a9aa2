// The simulated duty cycle of an ambulance: waiting, driving out, on scene,
// transporting, handing over, and (negative-pressure units) disinfection.
import type { AmbulanceKind, AmbulanceStatus } from '../schema/index.ts';

/** Seconds a phase lasts, as [min, max]. */
const DURATIONS: Record<AmbulanceStatus, [number, number]> = {
  available: [60, 240],
  dispatched: [120, 360],
  'on-scene': [60, 120],
  transporting: [180, 360],
  'handed-over': [20, 40],
  disinfecting: [90, 150],
  offline: [600, 1200],
};

export function nextStatus(status: AmbulanceStatus, kind: AmbulanceKind): AmbulanceStatus {
  switch (status) {
    case 'available':
      return 'dispatched';
    case 'dispatched':
      return 'on-scene';
    case 'on-scene':
      return 'transporting';
    case 'transporting':
      return 'handed-over';
    case 'handed-over':
      // Terminal disinfection after every high-risk transfer, before the next job.
      return kind === 'negative-pressure' ? 'disinfecting' : 'available';
    case 'disinfecting':
    case 'offline':
      return 'available';
  }
}

export function isDriving(status: AmbulanceStatus): boolean {
  return status === 'dispatched' || status === 'transporting';
}

export function phaseSeconds(status: AmbulanceStatus, random: () => number): number {
  const [min, max] = DURATIONS[status];
  return min + (max - min) * random();
}
