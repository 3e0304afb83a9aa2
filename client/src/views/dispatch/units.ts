// The dispatcher's list of units: filtered, sorted (status, then call sign) and with the
// age of each fix; pure, so the list stays cheap with 1,000 vehicles.
import type { Ambulance, AmbulanceStatus } from '../../../../server/schema/index.ts';
import { fixAgeMs, isFixStale } from '../../../../server/domain/fix-age.ts';

export const STATUS_ORDER: AmbulanceStatus[] = ['available', 'dispatched', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'offline'];

export interface UnitFilter {
  text: string;
  kind: 'all' | Ambulance['kind'];
  status: AmbulanceStatus | null;
}

export function filterUnits(all: Ambulance[], f: UnitFilter): Ambulance[] {
  const q = f.text.trim().toLowerCase();
  return all
    .filter(
      (a) =>
        (f.kind === 'all' || a.kind === f.kind) &&
        (f.status === null || a.status === f.status) &&
        (!q || a.callSign.toLowerCase().includes(q) || a.id.toLowerCase().includes(q) || a.station.includes(q) || a.crew.some((c) => c.includes(q))),
    )
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.callSign.localeCompare(b.callSign, 'zh-CN'));
}

export function countByStatus(all: Ambulance[]): Record<AmbulanceStatus, number> {
  const out = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<AmbulanceStatus, number>;
  for (const a of all) out[a.status]++;
  return out;
}

export { fixAgeMs, isFixStale };
