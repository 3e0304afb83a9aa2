// The county's roads as the board routes on them now: the GeoJSON, its version, the graph
// and the router over it, replaced as one object when a road import is committed (as the
// grids are, county/grid-layer.ts). Everything that routes reads `layers.current` when it
// routes, never a copy taken at start-up, so one swap moves the whole process at once.
import { createHash } from 'node:crypto';
import type { FeatureCollection, LineString } from 'geojson';
import { z } from 'zod';
import { GraphRouter } from '../routing/graph-router.ts';
import { buildRoadNetwork, type RoadNetwork } from '../routing/road-network.ts';
import type { SpeedTable } from '../routing/road-speeds.ts';
import { RoadProps } from '../schema/index.ts';
import type { LiveStore, StoredRoadSet } from '../store/store.ts';

export interface RoadLayer {
  /** The content's hash: the same roads always have the same version. */
  readonly version: string;
  readonly roads: FeatureCollection<LineString>;
  readonly network: RoadNetwork;
  readonly router: GraphRouter;
}

export const roadsVersion = (roadsJson: string): string => createHash('sha1').update(roadsJson).digest('base64url');

export function buildRoadLayer(roads: FeatureCollection<LineString>, roadsJson = JSON.stringify(roads), speeds?: SpeedTable): RoadLayer {
  const network = buildRoadNetwork(roads, speeds);
  // A network with no vertex (an empty roads file) routes everything off-road: one vertex far away.
  const routable = network.vertices.length > 0 ? network : { vertices: [[0, 0] as [number, number]], edges: [[]] };
  return { version: roadsVersion(roadsJson), roads, network: routable, router: new GraphRouter(routable) };
}

export type RoadSwapListener = (layer: RoadLayer, previous: RoadLayer) => void;

export class RoadLayers {
  #current: RoadLayer;
  readonly #listeners = new Set<RoadSwapListener>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(initial: RoadLayer) {
    this.#current = initial;
  }

  get current(): RoadLayer {
    return this.#current;
  }

  /** Makes `layer` current in one step; false (and nothing told) when it already is. */
  swap(layer: RoadLayer): boolean {
    const previous = this.#current;
    if (layer.version === previous.version) return false;
    this.#current = layer;
    for (const listener of this.#listeners) listener(layer, previous);
    return true;
  }

  /**
   * Swaps to the road set the store holds now (`known` when it is that set), after every
   * earlier call: loads run one at a time, each reading the store when its turn comes, so
   * the last leaves this process on the last set committed (as GridLayers.follow).
   */
  follow(store: Pick<LiveStore, 'getRoadSet' | 'roadSetVersion'>, known?: RoadLayer): Promise<RoadLayer | null> {
    const step = this.#queue.then(async () => {
      const version = await store.roadSetVersion();
      if (!version || version === this.#current.version) return null;
      let layer = known?.version === version ? known : undefined;
      if (!layer) {
        const stored = await store.getRoadSet();
        if (!stored || stored.version === this.#current.version) return null;
        layer = storedRoadLayer(stored);
      }
      return this.swap(layer) ? layer : null;
    });
    this.#queue = step.catch(() => undefined);
    return step;
  }

  onSwap(listener: RoadSwapListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const StoredRoads = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(z.array(z.number()).min(2)).min(2) }),
        properties: RoadProps,
      }),
    )
    .min(1),
});

/** The layer of a committed road set, or an error that names the stored set as unreadable. */
export function storedRoadLayer(stored: Pick<StoredRoadSet, 'version' | 'roadsJson'>): RoadLayer {
  try {
    const parsed = StoredRoads.safeParse(JSON.parse(stored.roadsJson));
    if (!parsed.success)
      throw new Error(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; '),
      );
    return buildRoadLayer(parsed.data as FeatureCollection<LineString>, stored.roadsJson);
  } catch (err) {
    throw new Error(`the committed road set ${stored.version} is unreadable (${err instanceof Error ? err.message : String(err)}); commit a road import again to replace it`, {
      cause: err,
    });
  }
}

/** The roads a store serves: its committed road set, or else the county's roads file. */
export async function storedOrFileRoadLayer(store: Pick<LiveStore, 'getRoadSet'>, file: { roads: FeatureCollection<LineString> }, speeds?: SpeedTable): Promise<RoadLayer> {
  const stored = await store.getRoadSet();
  return stored ? storedRoadLayer(stored) : buildRoadLayer(file.roads, undefined, speeds);
}
