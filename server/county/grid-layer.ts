// The county's grids as the board serves them now: geometry, its JSON and ETag, the
// containment index and what is derived from them, replaced as one object when an import
// is committed. Everything that needs the grids reads `layers.current` (or the stable
// `layers.locator`) when it uses them, never a copy taken at start-up, so one swap moves
// the whole process to the new grids at once.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { countyFacts, type CountyFacts } from '../domain/indicators.ts';
import { createLocator, type Locator } from '../geo/locator.ts';
import { GridProps, type GridCollection, type LngLat } from '../schema/index.ts';
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

  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Swaps to the grid set the store holds now (`known` when it is that set, so it is not
   * read and built again), after every earlier call has finished: loads run one at a time,
   * each reads the store when its turn comes, so the last one leaves this process on the
   * last set committed, whatever order the notices and a commit's own swap came in.
   * Resolves to the layer swapped to, or null when there was nothing to change.
   */
  follow(store: Pick<LiveStore, 'getGridSet' | 'gridSetVersion'>, known?: GridLayer): Promise<GridLayer | null> {
    const step = this.#queue.then(async () => {
      const version = await store.gridSetVersion();
      if (!version || version === this.#current.version) return null;
      let layer = known?.version === version ? known : undefined;
      if (!layer) {
        const stored = await store.getGridSet();
        if (!stored || stored.version === this.#current.version) return null;
        layer = storedGridLayer(stored);
      }
      return this.swap(layer) ? layer : null;
    });
    this.#queue = step.catch(() => undefined);
    return step;
  }

  onSwap(listener: SwapListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The shape a committed grid set must have to be served (checked when it is read back from the store). */
const StoredGrids = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()).min(1) }),
        properties: GridProps,
      }),
    )
    .min(1),
});

/**
 * The layer of a committed grid set read from the store, or an error that says plainly that
 * the stored set is unreadable (and which), rather than one from deep inside the locator.
 */
export function storedGridLayer(stored: { version: string; gridsJson: string }): GridLayer {
  try {
    const parsed = StoredGrids.safeParse(JSON.parse(stored.gridsJson));
    if (!parsed.success)
      throw new Error(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      );
    return buildGridLayer(parsed.data as GridCollection, stored.gridsJson);
  } catch (err) {
    throw new Error(`the committed grid set ${stored.version} is unreadable (${err instanceof Error ? err.message : String(err)}); commit a grid import again to replace it`, {
      cause: err,
    });
  }
}

/** The grids a store serves: its committed grid set, or else the county's grids file. */
export async function storedOrFileLayer(store: Pick<LiveStore, 'getGridSet'>, file: { grids: GridCollection; gridsJson: string }): Promise<GridLayer> {
  const stored = await store.getGridSet();
  return stored ? storedGridLayer(stored) : buildGridLayer(file.grids, file.gridsJson);
}
