// The map shared with its layer components. Layers render only after the style has
// loaded, so they may add sources and layers straight away.
import { createContext } from 'svelte';
import type { Map, MapGeoJSONFeature } from 'maplibre-gl';

/** Builds a popup's content for a clicked feature, or null when there is nothing to show. */
export type Describe = (feature: MapGeoJSONFeature) => Node | null;

export interface MapContext {
  map: Map;
  /** True once the map itself has been removed: layers then have nothing left to clean up. */
  readonly removed: boolean;
  /** Makes a layer clickable; the topmost clickable feature under the pointer gets the popup. */
  interactive(layerId: string, describe: Describe): () => void;
}

export const [getMapContext, setMapContext] = createContext<MapContext>();
