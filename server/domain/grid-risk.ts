// Setting a grid's risk level (风险等级), as the command center does: one grid at a time,
// and, as the plans usually have it, sealing a grid (封控区) puts its neighbours under
// control (管控区) unless they already stand at that or higher. Lowering a grid never
// lowers its neighbours: they may be controlled for another sealed grid. Pure.
import type { GridStatus, RiskLevel } from '../schema/index.ts';

/** How severe a level is, across the two schemes (低/中/高风险 and 防范/管控/封控区). */
export const RISK_SEVERITY: Record<RiskLevel, number> = { low: 0, precaution: 1, medium: 1, controlled: 2, high: 2, sealed: 3 };

export interface RiskChange {
  id: string;
  risk: RiskLevel;
  /** Set because a neighbour was sealed, not by hand. */
  cascaded: boolean;
}

/**
 * The grids whose level changes when `id` is set to `risk`: the grid itself (if its level
 * differs) and, when it is sealed and `cascade` holds, each neighbour below 管控区.
 */
export function riskChanges(id: string, risk: RiskLevel, neighbours: readonly string[], current: (gridId: string) => GridStatus | undefined, cascade: boolean): RiskChange[] {
  const out: RiskChange[] = [];
  if (current(id)?.risk !== risk) out.push({ id, risk, cascaded: false });
  if (risk === 'sealed' && cascade) {
    for (const n of neighbours) {
      const level = current(n)?.risk ?? 'low';
      if (n !== id && RISK_SEVERITY[level] < RISK_SEVERITY.controlled) out.push({ id: n, risk: 'controlled', cascaded: true });
    }
  }
  return out;
}
