// A row's fields made into an entity: a new one from the defaults (live figures at zero,
// the way a site starts its first day), an existing one keeping its live figures and
// taking the file's static fields. Checked against the entity schemas.
import type { z } from 'zod';
import { Ambulance, Hospital, IsolationHotel, SamplingPoint, type ImportedFields, type ImportLayer } from '../schema/index.ts';

export const SCHEMAS: Record<ImportLayer, z.ZodType> = { samplingPoints: SamplingPoint, hotels: IsolationHotel, hospitals: Hospital, ambulances: Ambulance };

/** About 150 people an hour per desk (DOMAIN.md, field reality). */
export const DEFAULT_DESK_THROUGHPUT = 150;

function defaults(layer: ImportLayer): Record<string, unknown> {
  switch (layer) {
    case 'samplingPoints':
      return { serves: 'all', hours: null, status: 'open', queue: 0, desks: 1, deskThroughput: DEFAULT_DESK_THROUGHPUT, samplesToday: 0, stock: { swabs: 0, tubes: 0 } };
    case 'hotels':
      return { rooms: { total: 0, occupied: 0, cleaning: 0 }, people: 0, checkInsToday: 0, checkOutsToday: 0, staff: { doctors: 0, nurses: 0 } };
    case 'hospitals':
      return { open: true, beds: { treatment: { total: 0, occupied: 0 }, icu: { total: 0, occupied: 0 }, isolation: { total: 0, occupied: 0 } } };
    case 'ambulances':
      return { status: 'available', station: '', crew: [], fix: null, taskId: null };
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = node[key] = next && typeof next === 'object' ? { ...(next as Record<string, unknown>) } : {};
  }
  node[keys.at(-1)!] = value;
}

/**
 * The entity a row makes, not yet checked: `current` is the stored one when the id exists;
 * a site's `gridId` comes with its fields (stamped by containment on upload).
 * A vehicle's position only seeds a new vehicle's first fix; a known one keeps its live fix.
 */
export function buildEntity(layer: ImportLayer, fields: ImportedFields, current: unknown, now: number): Record<string, unknown> {
  const entity: Record<string, unknown> = structuredClone((current as Record<string, unknown> | undefined) ?? defaults(layer));
  for (const [path, value] of Object.entries(fields)) {
    if (layer === 'ambulances' && (path === 'location' || path === 'gridId' || path.startsWith('terminal.'))) continue;
    setPath(entity, path, value);
  }
  if (layer === 'ambulances') {
    const location = fields.location as [number, number] | undefined;
    if (!current) entity.fix = location ? { lng: location[0], lat: location[1], at: now, speed: 0, heading: 0 } : null;
    if (!current) entity.gridId = location ? (fields.gridId ?? null) : null;
  } else if (!current && layer === 'hospitals') {
    // A makeshift hospital is built closed; capacity defaults to all its beds.
    if (fields.open === undefined) entity.open = fields.role !== 'makeshift';
    const beds = entity.beds as Record<string, { total: number }>;
    if (fields.maxCapacity === undefined) entity.maxCapacity = beds.treatment!.total + beds.icu!.total + beds.isolation!.total;
  }
  entity.updatedAt = now;
  return entity;
}
