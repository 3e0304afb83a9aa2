// The county's towns and villages as the board labels and finds them now: the records of a
// committed town and village import, or else towns.json (and the villages named on the grids),
// replaced as one object when an import is committed (as the grids and roads are). Everything
// that names a town or village reads `layers.current` when it does: the gazetteer, the map's
// labels (GET /api/county, /api/towns), and the grids' town and village names as the reports,
// indicators and rounds read them (relabelled by code).
import { createHash } from 'node:crypto';
import type { CountyFacts } from '../domain/indicators.ts';
import { countyFacts } from '../domain/indicators.ts';
import type { Locator } from '../geo/locator.ts';
import { TownSet, type GridCollection, type GridProps, type Town, type TownRecord, type VillageRecord } from '../schema/index.ts';
import type { StoredTownSet, TownSetStore } from '../store/town-set.ts';
import { buildGazetteer, type Gazetteer } from './gazetteer.ts';
import { gridsVersion, type GridLayer } from './grid-layer.ts';

export interface TownLayer {
  /** The content's hash: the same records always have the same version. */
  readonly version: string;
  readonly towns: readonly TownRecord[];
  /** null: no village records (towns.json only): villages are the ones the grids name. */
  readonly villages: readonly VillageRecord[] | null;
  /** True for a committed import's records (false: the county's towns.json). */
  readonly imported: boolean;
}

export const townsVersion = (json: string): string => createHash('sha1').update(json).digest('base64url');

/** The layer of the county's towns.json (no village records). */
export function fileTownLayer(towns: readonly Town[]): TownLayer {
  const records = towns.map((t): TownRecord => ({ ...t, centerSource: 'given', population: null }));
  return { version: townsVersion(`file:${JSON.stringify(towns)}`), towns: records, villages: null, imported: false };
}

export function buildTownLayer(set: TownSet, json = JSON.stringify(set)): TownLayer {
  return { version: townsVersion(json), towns: set.towns, villages: set.villages, imported: true };
}

/** The layer of a committed town set, or an error that names the stored set as unreadable. */
export function storedTownLayer(stored: Pick<StoredTownSet, 'version' | 'setJson'>): TownLayer {
  try {
    const parsed = TownSet.safeParse(JSON.parse(stored.setJson));
    if (!parsed.success)
      throw new Error(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      );
    return buildTownLayer(parsed.data, stored.setJson);
  } catch (err) {
    throw new Error(`the committed town set ${stored.version} is unreadable (${err instanceof Error ? err.message : String(err)}); commit a town import again to replace it`, {
      cause: err,
    });
  }
}

/** The towns a store serves: its committed set, or else the county's towns.json. */
export async function storedOrFileTownLayer(store: Pick<TownSetStore, 'getTownSet'>, file: { towns: readonly Town[] }): Promise<TownLayer> {
  const stored = await store.getTownSet();
  return stored ? storedTownLayer(stored) : fileTownLayer(file.towns);
}

/** The towns as GET /api/county and /api/towns serve them (the map's labels). */
export const servedTowns = (layer: TownLayer): Town[] =>
  layer.towns.map(({ code, name, center, seat, population }) => ({ code, name, center, seat, ...(population === null ? {} : { population }) }));

/** The grids' properties with their town and village names as the records say (by code); the same array when nothing differs. */
export function relabelGrids(props: readonly GridProps[], layer: TownLayer): readonly GridProps[] {
  const towns = new Map(layer.towns.map((t) => [t.code, t.name]));
  const villages = new Map((layer.villages ?? []).map((v) => [v.code, v.name]));
  let changed = false;
  const out = props.map((p) => {
    const townName = towns.get(p.townCode) ?? p.townName;
    const villageName = villages.get(p.villageCode) ?? p.villageName;
    if (townName === p.townName && villageName === p.villageName) return p;
    changed = true;
    return { ...p, townName, villageName };
  });
  return changed ? out : props;
}

/** The grids as GET /api/grids serves them: the grid layer itself, or its features under the records' names with a version and ETag of their own. */
export type ServedGrids = Pick<GridLayer, 'version' | 'etag' | 'grids' | 'gridsJson' | 'props'>;

export type TownSwapListener = (layer: TownLayer, previous: TownLayer) => void;

export class TownLayers {
  #current: TownLayer;
  readonly #listeners = new Set<TownSwapListener>();
  #queue: Promise<unknown> = Promise.resolve();
  /** What is derived from one grid layer and the current records, made again when either changes. */
  #derived: {
    grids: GridLayer;
    towns: TownLayer;
    props: readonly GridProps[];
    facts?: CountyFacts;
    gazetteer?: Gazetteer;
    served?: ServedGrids;
    byId?: Map<string, GridProps>;
  } | null = null;

  constructor(initial: TownLayer) {
    this.#current = initial;
  }

  get current(): TownLayer {
    return this.#current;
  }

  #over(grids: GridLayer) {
    const towns = this.#current;
    if (this.#derived?.grids !== grids || this.#derived.towns !== towns) this.#derived = { grids, towns, props: relabelGrids(grids.props, towns) };
    return this.#derived;
  }

  /** The grids' properties with the records' names (stable while neither changes). */
  props(grids: GridLayer): readonly GridProps[] {
    return this.#over(grids).props;
  }

  /** The grids as served to screens (their popups) under the records' names; the grid layer itself when no name differs. */
  served(grids: GridLayer): ServedGrids {
    const d = this.#over(grids);
    if (d.props === grids.props) return grids;
    if (!d.served) {
      const collection: GridCollection = { ...grids.grids, features: grids.grids.features.map((f, i) => (f.properties === d.props[i] ? f : { ...f, properties: d.props[i]! })) };
      const gridsJson = JSON.stringify(collection);
      // By content: every process serving these grids and records serves the same version.
      const version = gridsVersion(gridsJson);
      d.served = { version, etag: `"${version}"`, grids: collection, gridsJson, props: d.props };
    }
    return d.served;
  }

  /** One grid's properties under the records' names. */
  named(grids: GridLayer, props: GridProps): GridProps {
    const d = this.#over(grids);
    if (d.props === grids.props) return props;
    d.byId ??= new Map(d.props.map((p) => [p.id, p]));
    return d.byId.get(props.id) ?? props;
  }

  /** A locator over the current grids (read at each call) that answers with the records' town and village names. */
  locator(layers: { readonly current: GridLayer }): Locator<GridProps> {
    return {
      get ids() {
        return layers.current.locator.ids;
      },
      locate: (lng, lat) => {
        const grids = layers.current;
        const p = grids.locator.locate(lng, lat);
        return p && this.named(grids, p);
      },
      byId: (id) => {
        const grids = layers.current;
        const p = grids.locator.byId(id);
        return p && this.named(grids, p);
      },
      neighbours: (id) => layers.current.locator.neighbours(id),
    };
  }

  /** Population by grid and town, under the records' names and with their populations (where a record has one). */
  facts(grids: GridLayer): CountyFacts {
    const d = this.#over(grids);
    if (d.props === grids.props && !d.towns.towns.some((t) => t.population !== null)) return grids.facts;
    return (d.facts ??= countyFacts(d.props, d.towns.towns));
  }

  /** The gazetteer of call intake over these grids and records. */
  gazetteer(grids: GridLayer): Gazetteer {
    const d = this.#over(grids);
    return (d.gazetteer ??= buildGazetteer(d.towns.towns, grids.grids, grids.gridPoint, d.towns.villages));
  }

  /** Makes `layer` current in one step; false (and nothing told) when it already is. */
  swap(layer: TownLayer): boolean {
    const previous = this.#current;
    if (layer.version === previous.version) return false;
    this.#current = layer;
    for (const listener of this.#listeners) listener(layer, previous);
    return true;
  }

  /** Swaps to the set the store holds now (`known` when it is that set), loads one at a time, as RoadLayers.follow. */
  follow(store: Pick<TownSetStore, 'getTownSet' | 'townSetVersion'>, known?: TownLayer): Promise<TownLayer | null> {
    const step = this.#queue.then(async () => {
      const version = await store.townSetVersion();
      if (!version || version === this.#current.version) return null;
      let layer = known?.version === version ? known : undefined;
      if (!layer) {
        const stored = await store.getTownSet();
        if (!stored || stored.version === this.#current.version) return null;
        layer = storedTownLayer(stored);
      }
      return this.swap(layer) ? layer : null;
    });
    this.#queue = step.catch(() => undefined);
    return step;
  }

  onSwap(listener: TownSwapListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
