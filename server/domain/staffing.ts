// Isolation-hotel staffing (DOMAIN.md): one doctor and one nurse per 20 people in
// isolation, so 1–20 people need one of each, 21–40 two, and an empty hotel none.
// A shortfall is an alert. Pure.
import type { IsolationHotel } from '../schema/index.ts';

export const PEOPLE_PER_DOCTOR_AND_NURSE = 20;

export function requiredStaff(people: number): { doctors: number; nurses: number } {
  const n = Math.ceil(Math.max(0, people) / PEOPLE_PER_DOCTOR_AND_NURSE);
  return { doctors: n, nurses: n };
}

export function staffingShortfall(h: Pick<IsolationHotel, 'people' | 'staff'>): { doctors: number; nurses: number } {
  const need = requiredStaff(h.people);
  return { doctors: Math.max(0, need.doctors - h.staff.doctors), nurses: Math.max(0, need.nurses - h.staff.nurses) };
}
