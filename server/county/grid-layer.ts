// The county's grids as the board serves them now: geometry, its JSON and ETag, the
// containment index and what is derived from them, replaced as one object when an import
// is committed. Everything that needs the grids reads `layers.current` (or the stable
// `layers.locator`) when it uses them, never a copy taken at start-up, so one swap moves
// the whole process to the new grids at once.
import { createHash } from 'node:crypto';
import { countyFacts, type CountyFacts } from '../domain/indicators.ts';
import { createLocator, type Locator } from '../geo/locator.ts';
import type { GridCollection, GridProps, LngLat } from '../schema/index.ts';
import { gridPoints } from './grid-points.ts';
import type { LiveStore } from '../store/store.ts';

export interface GridLayer {
  /** The content's hash: the same grids always have the same version. */
  readonly version: string;
  /** The HTTP ETag of GET /api/grids. */
  readonly etag: string;
  readonly grids: GridCollection;
  readonly gridsJson: string;
  readonly props: readonly GridProps[];
  readonly locator: Locator<GridProps>;
  /** Population by grid and town, for the indicators and reports. */
  readonly facts: CountyFacts;
  /** A point inside a grid (for a pickup picked as a grid). */
  readonly gridPoint: (gridId: string) => LngLat | undefined;
}

export const gridsVersion = (gridsJson: string): string => createHash('sha1').update(gridsJson).digest('base64url');

export function buildGridLayer(grids: GridCollection, gridsJson = JSON.stringify(grids)): GridLayer {
  const version = gridsVersion(gridsJson);
  const props = grids.features.map((f) => f.properties);
  return { version, etag: `"${version}"`, grids, gridsJson, props, locator: createLocator(grids), facts: countyFacts(props), gridPoint: gridPoints(grids) };
}

export type SwapListener = (layer: GridLayer, previous: GridLayer) => void;

export class GridLayers {
  #current: GridLayer;
  readonly #listeners = new Set<SwapListener>();
  /** A locator that always answers from the current grids, for services built once. */
  readonly locator: Locator<GridProps>;

  constructor(initial: GridLayer) {
    this.#current = initial;
    const now = () => this.#current.locator;
    this.locator = {
      get ids() {
        return now().ids;
      },
      locate: (lng, lat) => now().locate(lng, lat),
      byId: (id) => now().byId(id),
      neighbours: (id) => now().neighbours(id),
    };
  }

  get current(): GridLayer {
    return this.#current;
  }

  /** Makes `layer` current in one step; false (and nothing told) when it already is. */
  swap(layer: GridLayer): boolean {
    const previous = this.#current;
    if (layer.version === previous.version) return false;
    this.#current = layer;
    for (const listener of this.#listeners) listener(layer, previous);
    return true;
  }

  onSwap(listener: SwapListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The grids a store serves: its committed grid set, or else the county's grids file. */
export async function storedOrFileLayer(store: Pick<LiveStore, 'getGridSet'>, file: { grids: GridCollection; gridsJson: string }): Promise<GridLayer> {
  const stored = await store.getGridSet();
  return stored ? buildGridLayer(JSON.parse(stored.gridsJson) as GridCollection, stored.gridsJson) : buildGridLayer(file.grids, file.gridsJson);
}
