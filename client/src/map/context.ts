// The map shared with its layer components. Layers render only after the style has
// loaded, so they may add sources and layers straight away.
import { createContext } from 'svelte';
import type { Map, MapGeoJSONFeature } from 'maplibre-gl';
import type { Projection } from './projection.ts';
import type { Theme } from './style.ts';

/** Builds a popup's content for a clicked feature, or null when there is nothing to show. */
export type Describe = (feature: MapGeoJSONFeature) => Node | null;

export interface ClickInterceptor {
  active(): boolean;
  click(at: [number, number]): void;
}

export interface MapContext {
  map: Map;
  /** True once the map itself has been removed: layers then have nothing left to clean up. */
  readonly removed: boolean;
  /** Makes a layer clickable; the topmost clickable feature under the pointer gets the popup. */
  interactive(layerId: string, describe: Describe): () => void;
  /**
   * Lets a view take map clicks before the popups do (picking a location): while
   * `active()` the cursor is a crosshair and clicks go to `click`, in WGS-84.
   * Returns the undo.
   */
  interceptClick(handler: ClickInterceptor): () => void;
  /** WGS-84 ⇄ the basemap's coordinates: every overlay goes through it. */
  projection: Projection;
  /** Light for desks and tablets, dark for the wall: layers pick their line and label colours by it. */
  theme: Theme;
  /** Symbols, lines and labels are drawn this many times their design size (2 on a 4K wall). */
  sizeScale: number;
}

export const [getMapContext, setMapContext] = createContext<MapContext>();
