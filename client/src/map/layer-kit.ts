// Small helpers every layer family uses: add a source with its layers and get back one
// function that removes both, and a frame-aligned throttle for live setData calls.
import type { AddLayerObject, GeoJSONSource, GeoJSONSourceDiff, GeoJSONSourceSpecification } from 'maplibre-gl';
import type { MapContext } from './context.ts';

export interface Installed {
  source: GeoJSONSource;
  /** Replaces the source's data; a failure is logged, never left as an unhandled rejection. */
  update(data: GeoJSONSourceSpecification['data']): void;
  /** Applies a diff (features carry ids); on failure calls `onFailed`, so the next push can be whole. */
  patch(diff: GeoJSONSourceDiff, onFailed: () => void): void;
  remove(): void;
}

export function installGeoJson(
  ctx: MapContext,
  sourceId: string,
  source: Omit<GeoJSONSourceSpecification, 'type'>,
  layers: AddLayerObject[],
): Installed {
  const { map } = ctx;
  map.addSource(sourceId, { type: 'geojson', ...source });
  for (const layer of layers) map.addLayer(layer);
  const geojson = map.getSource<GeoJSONSource>(sourceId);
  if (!geojson) throw new Error(`source ${sourceId} was not added`);
  return {
    source: geojson,
    update(data) {
      geojson.setData(data).catch((err: unknown) => {
        if (!ctx.removed) console.warn(`setData on ${sourceId} failed`, err);
      });
    },
    patch(diff, onFailed) {
      geojson.updateData(diff).catch((err: unknown) => {
        if (ctx.removed) return;
        console.warn(`updateData on ${sourceId} failed`, err);
        onFailed();
      });
    },
    remove() {
      if (ctx.removed) return; // the whole board is being torn down
      for (const layer of [...layers].reverse()) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      if (map.getSource(sourceId)) map.removeSource(sourceId);
    },
  };
}

export interface Throttled {
  (): void;
  cancel(): void;
}

/**
 * Runs `fn` on an animation frame at most once per `minIntervalMs`, however often it is
 * requested: a burst of deltas becomes one setData.
 */
export function frameThrottle(fn: () => void, minIntervalMs: number): Throttled {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  const run = () => {
    frame = 0;
    last = performance.now();
    fn();
  };
  const request = (() => {
    if (frame || timer) return;
    const wait = last + minIntervalMs - performance.now();
    if (wait <= 0) frame = requestAnimationFrame(run);
    else
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(run);
      }, wait);
  }) as Throttled;
  request.cancel = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
  };
  return request;
}
