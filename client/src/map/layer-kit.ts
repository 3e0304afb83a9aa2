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

const SIZED = ['circle-radius', 'circle-stroke-width', 'line-width', 'text-size', 'text-halo-width', 'icon-size'];

/** A size property times `factor`; zoom curves are scaled stop by stop (they must stay top-level). */
export function scaleSize(value: unknown, factor: number): unknown {
  if (typeof value === 'number') return value * factor;
  if (Array.isArray(value) && (value[0] === 'interpolate' || value[0] === 'step') && JSON.stringify(value[value[0] === 'interpolate' ? 2 : 1]) === '["zoom"]') {
    const first = value[0] === 'interpolate' ? 4 : 2;
    return value.map((v, i) => (i >= first && (i - first) % 2 === 0 ? scaleSize(v, factor) : v));
  }
  return ['*', value, factor];
}

function scaled(layer: AddLayerObject, factor: number): AddLayerObject {
  if (factor === 1 || !('paint' in layer || 'layout' in layer)) return layer;
  const out = structuredClone(layer) as AddLayerObject & { paint?: Record<string, unknown>; layout?: Record<string, unknown> };
  for (const group of [out.paint, out.layout]) {
    if (!group) continue;
    for (const key of SIZED) if (group[key] !== undefined) group[key] = scaleSize(group[key], factor);
  }
  return out;
}

export function installGeoJson(ctx: MapContext, sourceId: string, source: Omit<GeoJSONSourceSpecification, 'type'>, layers: AddLayerObject[]): Installed {
  const { map } = ctx;
  map.addSource(sourceId, { type: 'geojson', ...source });
  for (const layer of layers) map.addLayer(scaled(layer, ctx.sizeScale));
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
