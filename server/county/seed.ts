// Puts the sample county's initial live state into an empty store, stamped
// with the current time and with each site's grid from the containment service.
import type { Change, GridProps } from '../schema/index.ts';
import type { Locator } from '../geo/locator.ts';
import type { LiveStore } from '../store/store.ts';
import type { LiveSeed } from './county.ts';

/**
 * Seeds the store when it has never changed (seq 0) and no other process has
 * claimed the seeding; returns whether this call seeded it.
 */
export async function seedIfEmpty(store: LiveStore, seed: LiveSeed, locator: Locator<GridProps>, now: number): Promise<boolean> {
  if ((await store.seq()) > 0) return false;
  if (!(await store.claimOnce('seed'))) return false;
  const gridOf = (lng: number, lat: number) => locator.locate(lng, lat)?.id ?? null;
  // Sites: stamped with the grid at their location.
  const sites = <C extends 'samplingPoints' | 'hotels' | 'hospitals'>(collection: C, entities: LiveSeed[C]): Change[] =>
    entities.map((e) => ({ op: 'upsert', collection, entity: { ...e, gridId: gridOf(...e.location), updatedAt: now } }) as Change);
  const changes: Change[] = [
    ...seed.gridStatus.map((e): Change => ({ op: 'upsert', collection: 'gridStatus', entity: { ...e, updatedAt: now } })),
    ...sites('samplingPoints', seed.samplingPoints),
    ...sites('hotels', seed.hotels),
    ...sites('hospitals', seed.hospitals),
    ...seed.ambulances.map((e): Change => ({
      op: 'upsert',
      collection: 'ambulances',
      entity: {
        ...e,
        fix: e.fix && { ...e.fix, at: now },
        gridId: e.fix ? gridOf(e.fix.lng, e.fix.lat) : null,
        updatedAt: now,
      },
    })),
  ];
  await store.apply(changes, now);
  return true;
}

/**
 * The sample field lead's own points: the sampling points of the county seat (the town marked seat in towns.json).
 * Real accounts get theirs from an admin.
 */
export function seatTownPointIds(seed: LiveSeed, locator: Locator<GridProps>, seatTown: string): string[] {
  return seed.samplingPoints.filter((p) => locator.locate(p.location[0], p.location[1])?.townName === seatTown).map((p) => p.id);
}
