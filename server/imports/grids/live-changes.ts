// What a new grid set changes in the live state, pure: a status for each new grid (low
// risk), none for a grid that is gone, and every entity stamped with a grid that now holds
// it differently (sites and vehicles by their position, open transfers by their pickup,
// waiting sample batches by their point). The keys are found from a snapshot; the changes
// are computed again from the entities as they are at commit time (store.commitGridSet).
import type { AnyEntity, EntityKey } from '../../store/store.ts';
import type { Ambulance, Change, GridProps, LiveCollections, SampleBatch, SamplingPoint, TransferTask } from '../../schema/index.ts';

type Locate = (lng: number, lat: number) => GridProps | null;
const CLOSED: ReadonlySet<TransferTask['status']> = new Set(['closed', 'cancelled']);
const SITES = ['samplingPoints', 'hotels', 'hospitals'] as const;

/** The grid an entity belongs to under `locate` (undefined: the entity is not stamped by place). */
function newGridOf(collection: EntityKey['collection'], entity: AnyEntity, locate: Locate, points: Record<string, SamplingPoint>): string | null | undefined {
  switch (collection) {
    case 'samplingPoints':
    case 'hotels':
    case 'hospitals': {
      const [lng, lat] = (entity as SamplingPoint).location;
      return locate(lng, lat)?.id ?? null;
    }
    case 'ambulances': {
      const a = entity as Ambulance;
      return a.fix ? (locate(a.fix.lng, a.fix.lat)?.id ?? null) : undefined;
    }
    case 'transfers': {
      const t = entity as TransferTask;
      if (CLOSED.has(t.status)) return undefined;
      const [lng, lat] = t.pickup.location;
      return locate(lng, lat)?.id ?? null;
    }
    case 'sampleBatches': {
      const b = entity as SampleBatch;
      const point = b.samplingPointId ? points[b.samplingPointId] : undefined;
      return b.resultedAt === null && point ? (locate(...point.location)?.id ?? null) : undefined;
    }
    default:
      return undefined;
  }
}

const gridIdOf = (collection: EntityKey['collection'], entity: AnyEntity): string | null =>
  collection === 'transfers' ? (entity as TransferTask).pickup.gridId : ((entity as { gridId?: string | null }).gridId ?? null);

/** The entity stamped with `gridId` (a transfer's pickup also gets its town). */
function stamped(collection: EntityKey['collection'], entity: AnyEntity, grid: GridProps | undefined, gridId: string | null): AnyEntity {
  if (collection === 'transfers') {
    const t = entity as TransferTask;
    return { ...t, pickup: { ...t.pickup, gridId, townName: grid?.townName ?? t.pickup.townName } };
  }
  return { ...entity, gridId } as AnyEntity;
}

export interface GridSetChanges {
  keys: EntityKey[];
  update: (current: (AnyEntity | undefined)[]) => Change[];
  /** From the snapshot: grids added, removed, and entities stamped anew. */
  counts: { added: number; removed: number; restamped: number };
}

export function gridSetChanges(collections: LiveCollections, grids: readonly GridProps[], locate: Locate, now: number): GridSetChanges {
  const byId = new Map(grids.map((g) => [g.id, g]));
  const points = collections.samplingPoints;
  const keys: EntityKey[] = [];
  let added = 0;
  let removed = 0;
  for (const g of grids) {
    if (collections.gridStatus[g.id]) continue;
    keys.push({ collection: 'gridStatus', id: g.id });
    added++;
  }
  for (const id of Object.keys(collections.gridStatus)) {
    if (byId.has(id)) continue;
    keys.push({ collection: 'gridStatus', id });
    removed++;
  }
  const stampedCollections = [...SITES, 'ambulances', 'transfers', 'sampleBatches'] as const;
  for (const collection of stampedCollections) {
    for (const entity of Object.values(collections[collection]) as AnyEntity[]) {
      const next = newGridOf(collection, entity, locate, points);
      if (next !== undefined && next !== gridIdOf(collection, entity)) keys.push({ collection, id: entity.id });
    }
  }
  const update = (current: (AnyEntity | undefined)[]): Change[] => {
    const changes: Change[] = [];
    keys.forEach((key, i) => {
      const entity = current[i];
      if (key.collection === 'gridStatus') {
        if (byId.has(key.id) && !entity) changes.push({ op: 'upsert', collection: 'gridStatus', entity: { id: key.id, risk: 'low', updatedAt: now } });
        else if (!byId.has(key.id) && entity) changes.push({ op: 'remove', collection: 'gridStatus', id: key.id });
        return;
      }
      if (!entity) return;
      const next = newGridOf(key.collection, entity, locate, points);
      if (next === undefined || next === gridIdOf(key.collection, entity)) return;
      changes.push({ op: 'upsert', collection: key.collection, entity: stamped(key.collection, entity, next ? byId.get(next) : undefined, next) } as Change);
    });
    return changes;
  };
  return { keys, update, counts: { added, removed, restamped: keys.length - added - removed } };
}
