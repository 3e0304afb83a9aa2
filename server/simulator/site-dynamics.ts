// How sites change on their own in the simulator: pure functions of the
// current entity, the local time of day and a random source.
import type { Hospital, IsolationHotel, SamplingPoint } from '../schema/index.ts';
import type { HotelUpdate, SamplingPointUpdate } from '../schema/index.ts';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function isWithinHours(hours: SamplingPoint['hours'], minuteOfDay: number): boolean {
  if (!hours) return true;
  const open = minutes(hours.open);
  const close = minutes(hours.close);
  return open <= close ? minuteOfDay >= open && minuteOfDay < close : minuteOfDay >= open || minuteOfDay < close;
}

/** People arriving per hour at a point: peaks mid-morning and early evening. */
function arrivalsPerHour(point: SamplingPoint, minuteOfDay: number): number {
  const h = minuteOfDay / 60;
  const peak = Math.exp(-((h - 10) ** 2) / 4) + 0.8 * Math.exp(-((h - 18) ** 2) / 3) + 0.15;
  return point.desks * point.deskThroughput * 0.9 * peak;
}

/** The share of the people a point serves who come to be sampled in one day, at most. */
export const DAILY_SAMPLED_SHARE = 0.7;

/**
 * The people a point serves: its town's, shared among the town's points by their desks (the
 * county's by desks for a point in no known town). Bounds a day's arrivals, so a town's
 * samples today never outrun its people.
 */
export function catchments(
  points: readonly Pick<SamplingPoint, 'id' | 'gridId' | 'desks'>[],
  grids: readonly { id: string; population: number; townName?: string }[],
): Map<string, number> {
  const townOf = new Map(grids.map((g) => [g.id, g.townName ?? '']));
  const people = new Map<string, number>();
  for (const g of grids) people.set(g.townName ?? '', (people.get(g.townName ?? '') ?? 0) + g.population);
  const county = grids.reduce((n, g) => n + g.population, 0);
  const desks = new Map<string, number>();
  const town = (p: Pick<SamplingPoint, 'gridId'>) => (p.gridId === null ? undefined : townOf.get(p.gridId)) ?? null;
  for (const p of points) desks.set(town(p) ?? '*', (desks.get(town(p) ?? '*') ?? 0) + Math.max(1, p.desks));
  const allDesks = points.reduce((n, p) => n + Math.max(1, p.desks), 0);
  return new Map(
    points.map((p) => {
      const t = town(p);
      const share = Math.max(1, p.desks) / (t === null ? allDesks : desks.get(t)!);
      return [p.id, Math.round((t === null ? county : people.get(t)!) * share)];
    }),
  );
}

/** One step of `minutesStep` for a sampling point: opening hours, arrivals and service (arrivals thin out as the day's samples near `catchment`'s share). */
export function stepSamplingPoint(point: SamplingPoint, minuteOfDay: number, minutesStep: number, random: () => number, catchment?: number): SamplingPointUpdate | null {
  const withinHours = isWithinHours(point.hours, minuteOfDay);
  if (!withinHours) return point.status === 'closed' && point.queue === 0 ? null : { status: 'closed', queue: 0 };
  if (point.status === 'closed') return { status: 'open' };
  if (point.status === 'paused') return random() < 0.02 ? { status: 'open' } : null;
  const willing = catchment === undefined ? 1 : Math.max(0, 1 - point.samplesToday / (DAILY_SAMPLED_SHARE * catchment));
  const arrivals = Math.round(arrivalsPerHour(point, minuteOfDay) * (minutesStep / 60) * (0.5 + random()) * willing);
  const capacity = Math.round(point.desks * point.deskThroughput * (minutesStep / 60));
  const served = Math.min(point.queue + arrivals, capacity);
  const queue = Math.max(0, point.queue + arrivals - served);
  return {
    queue,
    samplesToday: point.samplesToday + served,
    stock: {
      swabs: Math.max(0, point.stock.swabs - served),
      tubes: Math.max(0, point.stock.tubes - Math.ceil(served / 10)),
    },
  };
}

/** Check-ins and check-outs at an isolation hotel. */
export function stepHotel(hotel: IsolationHotel, random: () => number): HotelUpdate | null {
  const r = random();
  const free = hotel.rooms.total - hotel.rooms.occupied - hotel.rooms.cleaning;
  if (r < 0.4 && free > 0) {
    return {
      rooms: { ...hotel.rooms, occupied: hotel.rooms.occupied + 1 },
      people: hotel.people + 1,
      checkInsToday: hotel.checkInsToday + 1,
    };
  }
  if (r < 0.7 && hotel.rooms.occupied > 0) {
    return {
      rooms: { ...hotel.rooms, occupied: hotel.rooms.occupied - 1, cleaning: hotel.rooms.cleaning + 1 },
      people: Math.max(0, hotel.people - 1),
      checkOutsToday: hotel.checkOutsToday + 1,
    };
  }
  if (hotel.rooms.cleaning > 0) return { rooms: { ...hotel.rooms, cleaning: hotel.rooms.cleaning - 1 } };
  return null;
}

/** Admissions and discharges in the treatment beds of an open hospital. */
export function stepHospital(hospital: Hospital, random: () => number): Pick<Hospital, 'beds'> | null {
  if (!hospital.open) return null;
  const beds = hospital.beds.treatment;
  const delta = random() < 0.55 ? 1 : -1;
  const occupied = Math.min(beds.total, Math.max(0, beds.occupied + delta));
  if (occupied === beds.occupied) return null;
  return { beds: { ...hospital.beds, treatment: { ...beds, occupied } } };
}
