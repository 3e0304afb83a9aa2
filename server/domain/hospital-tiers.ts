// The hospitals' escalation chain (DOMAIN.md, "Hospitals"): designated → reserve →
// makeshift. When a tier reaches its threshold (default 50 % of its maximum
// capacity) patients go to the next one. Pure.
import type { Hospital, HospitalRole } from '../schema/index.ts';

export const ESCALATION_CHAIN: readonly HospitalRole[] = ['designated', 'reserve', 'makeshift'];
export const DEFAULT_ESCALATION_THRESHOLD = 0.5;

export function occupiedBeds(h: Hospital): number {
  return h.beds.treatment.occupied + h.beds.icu.occupied + h.beds.isolation.occupied;
}

/** Occupied beds ÷ maximum capacity (1 for a hospital with no capacity). */
export function occupancy(h: Hospital): number {
  return h.maxCapacity > 0 ? occupiedBeds(h) / h.maxCapacity : 1;
}

export function atThreshold(h: Hospital, threshold = DEFAULT_ESCALATION_THRESHOLD): boolean {
  return occupancy(h) >= threshold;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const roleZh: Record<HospitalRole, string> = { designated: '定点医院', reserve: '后备定点医院', makeshift: '方舱医院', 'fever-clinic': '发热门诊' };
const roleEn: Record<HospitalRole, string> = { designated: 'designated hospital', reserve: 'reserve hospital', makeshift: 'makeshift hospital', 'fever-clinic': 'fever clinic' };

export interface TierChoice {
  hospital: Hospital | null;
  reason: { zh: string; en: string };
}

/**
 * Where a suspected case goes: the first open hospital of the chain below its
 * threshold, saying why the ones before it were passed over. When every tier is at
 * its threshold, the open one with the most free capacity, with a warning.
 */
export function chooseTier(hospitals: Hospital[], threshold = DEFAULT_ESCALATION_THRESHOLD): TierChoice {
  const chain = ESCALATION_CHAIN.flatMap((role) => hospitals.filter((h) => h.role === role));
  const passed: { zh: string[]; en: string[] } = { zh: [], en: [] };
  for (const h of chain) {
    if (!h.open) {
      passed.zh.push(`${h.name}未启用`);
      passed.en.push(`${h.name} is not open`);
      continue;
    }
    if (atThreshold(h, threshold)) {
      passed.zh.push(`${h.name}床位使用率${pct(occupancy(h))}，已达${pct(threshold)}启用阈值`);
      passed.en.push(`${h.name} is at ${pct(occupancy(h))} of capacity (threshold ${pct(threshold)})`);
      continue;
    }
    const lead = {
      zh: passed.zh.length ? `${passed.zh.join('；')}：按预案送${roleZh[h.role]}。` : '',
      en: passed.en.length ? `${passed.en.join('; ')}: by the plan, to the ${roleEn[h.role]}.` : '',
    };
    return {
      hospital: h,
      reason: {
        zh: `${lead.zh}${h.name}（${roleZh[h.role]}），床位使用率${pct(occupancy(h))}。`,
        en: `${lead.en} ${h.name} (${roleEn[h.role]}), ${pct(occupancy(h))} of capacity.`.trim(),
      },
    };
  }
  const open = chain.filter((h) => h.open).sort((a, b) => b.maxCapacity - occupiedBeds(b) - (a.maxCapacity - occupiedBeds(a)));
  const best = open[0] ?? null;
  return {
    hospital: best,
    reason: best
      ? {
          zh: `警告：各级定点收治医院均已达启用阈值（${passed.zh.join('；')}）。送空余床位最多的${best.name}，请报告指挥部。`,
          en: `Warning: every tier is at its threshold (${passed.en.join('; ')}). To ${best.name}, which has the most free beds; report to the command center.`,
        }
      : { zh: '警告：没有已启用的定点收治医院，请报告指挥部。', en: 'Warning: no designated-chain hospital is open; report to the command center.' },
  };
}
