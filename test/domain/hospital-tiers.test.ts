// The escalation chain at its exact boundaries: below the threshold a tier takes the
// patient; at it (≥ 50 %) the next open tier does.
import { describe, expect, it } from 'vitest';
import { atThreshold, chooseTier, occupancy } from '../../server/domain/hospital-tiers.ts';
import type { Hospital, HospitalRole } from '../../server/schema/index.ts';

function hospital(id: string, role: HospitalRole, occupied: number, maxCapacity = 100, open = true): Hospital {
  return {
    id,
    name: id,
    role,
    location: [95.78, 40.52],
    gridId: null,
    updatedAt: 0,
    open,
    maxCapacity,
    beds: { treatment: { total: maxCapacity, occupied }, icu: { total: 0, occupied: 0 }, isolation: { total: 0, occupied: 0 } },
  } as Hospital;
}

describe('the escalation chain', () => {
  it('measures occupancy against maximum capacity, at the exact threshold', () => {
    expect(occupancy(hospital('a', 'designated', 49))).toBe(0.49);
    expect(atThreshold(hospital('a', 'designated', 49))).toBe(false);
    expect(atThreshold(hospital('a', 'designated', 50))).toBe(true);
    expect(atThreshold(hospital('a', 'designated', 0, 0))).toBe(true); // no capacity at all
    expect(atThreshold(hospital('a', 'designated', 59), 0.6)).toBe(false);
  });

  const table: [string, Hospital[], string | null, RegExp][] = [
    ['designated below its threshold', [hospital('D', 'designated', 49), hospital('R', 'reserve', 0)], 'D', /^D（定点医院）/],
    ['designated at 50 %: the reserve', [hospital('D', 'designated', 50), hospital('R', 'reserve', 0)], 'R', /D床位使用率50%.*按预案送后备定点医院/],
    ['reserve at 50 % too: the makeshift, when open', [hospital('D', 'designated', 80), hospital('R', 'reserve', 50), hospital('M', 'makeshift', 0)], 'M', /按预案送方舱医院/],
    ['makeshift not open: the freest, with a warning', [hospital('D', 'designated', 80), hospital('R', 'reserve', 60), hospital('M', 'makeshift', 0, 300, false)], 'R', /^警告/],
    ['fever clinics are not in the chain', [hospital('F', 'fever-clinic', 0)], null, /没有已启用/],
  ];
  for (const [name, hospitals, expected, words] of table) {
    it(name, () => {
      const choice = chooseTier(hospitals);
      expect(choice.hospital?.id ?? null).toBe(expected);
      expect(choice.reason.zh).toMatch(words);
      expect(choice.reason.en.length).toBeGreaterThan(10);
    });
  }
});
