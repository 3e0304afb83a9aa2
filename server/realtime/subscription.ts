// What a screen subscribes to: some layers (collections) and, optionally, an
// area (a town, a list of grids, or a bounding box). A field tablet on 4G gets
// its town, not the county. Pure: the grid → town lookup is passed in.
import type { Change, CollectionName as Collection, EntityOf, Subscription } from '../schema/index.ts';

import { isMove } from './moves.ts';

export type { Subscription };

/** Where an entity is, for area filters: its grid and, when it has one, its point. */
export function placeOf<C extends Collection>(collection: C, entity: EntityOf<C>): { gridId: string | null; point: [number, number] | null } {
  switch (collection) {
    case 'gridStatus':
      return { gridId: entity.id, point: null };
    case 'ambulances': {
      const a = entity as EntityOf<'ambulances'>;
      return { gridId: a.gridId, point: a.fix ? [a.fix.lng, a.fix.lat] : null };
    }
    case 'transfers': {
      const t = entity as EntityOf<'transfers'>;
      return { gridId: t.pickup.gridId, point: t.pickup.location };
    }
    case 'alerts':
      return { gridId: (entity as EntityOf<'alerts'>).gridId ?? null, point: null };
    case 'sampleBatches':
      return { gridId: (entity as EntityOf<'sampleBatches'>).gridId, point: null };
    case 'roundGrids':
      return { gridId: (entity as EntityOf<'roundGrids'>).gridId, point: null };
    case 'testingRounds':
      return { gridId: null, point: null };
    case 'moveTasks':
      return { gridId: null, point: (entity as EntityOf<'moveTasks'>).location };
    default: {
      const site = entity as EntityOf<'samplingPoints'>;
      return { gridId: site.gridId, point: site.location };
    }
  }
}

/** A predicate: does this screen want this entity? */
export function subscriptionFilter(sub: Subscription, townOfGrid: (gridId: string) => string | undefined): <C extends Collection>(collection: C, entity: EntityOf<C>) => boolean {
  const layers = sub.layers ? new Set<Collection>(sub.layers) : null;
  const area = sub.area;
  const grids = area && 'grids' in area ? new Set(area.grids) : null;
  return (collection, entity) => {
    if (layers && !layers.has(collection)) return false;
    // The testing round concerns everyone who watches the layer, whatever the area.
    if (!area || collection === 'testingRounds') return true;
    const { gridId, point } = placeOf(collection, entity);
    // An alert reaches a town's screens when it is about somewhere in the town (a point,
    // a hotel, a batch) or about the town itself (a round behind there); county-wide
    // ones (hospitals, vehicles) are not theirs.
    if (collection === 'alerts') {
      const town = (entity as EntityOf<'alerts'>).town;
      if ('town' in area) return town === area.town || (gridId !== null && townOfGrid(gridId) === area.town);
      if ('grids' in area) return gridId !== null && grids!.has(gridId);
      return gridId !== null || !!town; // a box: every located alert (its grid may reach in)
    }
    if ('town' in area) return gridId !== null && townOfGrid(gridId) === area.town;
    if ('grids' in area) return gridId !== null && grids!.has(gridId);
    if (!point) return false;
    const [w, s, e, n] = area.bbox;
    return point[0] >= w && point[0] <= e && point[1] >= s && point[1] <= n;
  };
}

/**
 * One screen's view: which entities it holds. Turns the store's changes into the
 * changes this screen needs: an entity that leaves its area becomes a removal.
 * After a snapshot the view knows what the screen holds (and keeps only those:
 * a tablet's view of its town is small); after a resume it does not, so the
 * first unwanted change of an entity it has not seen becomes a removal too
 * (harmless if the screen never held it; once per entity).
 */
export class ClientView {
  /** Entities the screen holds, as `collection/id`. */
  private readonly held = new Set<string>();
  /** Whether `held` is all it holds (after a snapshot); if not, an entity outside it is unknown… */
  private certain = false;
  /** …unless it is here: sent a removal since. */
  private readonly ruledOut = new Set<string>();

  constructor(
    private readonly wants: ReturnType<typeof subscriptionFilter>,
    /** Applied to every entity the screen gets (its role's view, server/domain/privacy.ts); absent: sent as they are. */
    private readonly transform?: <C extends Collection>(collection: C, entity: EntityOf<C>) => EntityOf<C>,
  ) {}

  /**
   * This screen's part of a snapshot's collections (a new object sharing the
   * entities; the input is not changed), remembering what the screen holds.
   */
  reset<T extends { [C in Collection]: Record<string, EntityOf<C>> }>(collections: T): T {
    this.forget();
    this.certain = true;
    const out = {} as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(collections) as Collection[]) {
      const part: Record<string, unknown> = {};
      for (const [id, entity] of Object.entries(collections[name] as Record<string, EntityOf<typeof name>>)) {
        if (!this.wants(name, entity)) continue;
        this.held.add(`${name}/${id}`);
        part[id] = this.transform ? this.transform(name, entity) : entity;
      }
      out[name] = part;
    }
    return out as T;
  }

  /**
   * Takes a snapshot's part that an equal view made (reset) as what this screen now
   * holds: screens asking together share one.
   */
  assume(collections: { [C in Collection]?: Record<string, unknown> }): void {
    this.forget();
    this.certain = true;
    for (const [name, part] of Object.entries(collections)) for (const id of Object.keys(part ?? {})) this.held.add(`${name}/${id}`);
  }

  /**
   * Lets go of what it knows (a screen served by its class needs no view of its
   * own until its next snapshot, which resets it): a thousand screens' views
   * would otherwise hold a thousand copies of the county's ids.
   */
  forget(): void {
    this.held.clear();
    this.ruledOut.clear();
    this.certain = false;
  }

  /** The changes this screen needs, in order (maybe none). */
  filter(changes: readonly Change[]): Change[] {
    const out: Change[] = [];
    for (const change of changes) {
      const id = change.op === 'upsert' ? change.entity.id : change.id;
      const key = `${change.collection}/${id}`;
      if (change.op === 'upsert' && this.wants(change.collection, change.entity)) {
        const held = this.held.has(key);
        if (!held) {
          this.held.add(key);
          this.ruledOut.delete(key);
        }
        // A move carries nothing a transform hides (every view keeps a vehicle's position: test/domain/privacy.test.ts); a screen that may not hold the vehicle gets it whole (a copy is unmarked).
        if (held && isMove(change)) out.push(change);
        else if (this.transform) out.push({ ...change, entity: this.transform(change.collection, change.entity) } as Change);
        else out.push(isMove(change) ? { ...change } : change);
      } else if (this.held.delete(key) || (!this.certain && !this.ruledOut.has(key))) {
        if (!this.certain) this.ruledOut.add(key);
        out.push({ op: 'remove', collection: change.collection, id });
      }
    }
    return out;
  }
}
