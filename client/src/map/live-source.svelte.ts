// The part every live point layer shares: keep its source in step with a live
// collection, at most once per animation frame and minIntervalMs, sending MapLibre only
// the features that changed (updateData) rather than the whole collection (setData);
// and remove everything on destroy. Call during a component's initialisation.
import { onDestroy } from 'svelte';
import type { MapContext } from './context.ts';
import { frameThrottle, type Installed } from './layer-kit.ts';
import { PointDiffer, type PointSpec } from './point-diff.ts';

/** `?mapUpdate=full` sends whole collections, for measuring what the diffs save (npm run bench:map). */
const alwaysFull = typeof location !== 'undefined' && new URLSearchParams(location.search).get('mapUpdate') === 'full';

export function syncLiveSource<T>(
  ctx: MapContext,
  installed: Installed,
  /** Read inside: the collection's version, so the effect reruns when it changes. */
  version: () => number,
  items: () => Record<string, T>,
  spec: PointSpec<T>,
  minIntervalMs: number,
  /** Popup bindings and the like, undone with the layer. */
  cleanups: (() => void)[] = [],
): void {
  const differ = new PointDiffer(spec, ctx.projection.toMap, 0.5, alwaysFull);
  // Each push is a performance measure (map-update:<source>), for bench:map and DevTools.
  const measure = `map-update:${installed.source.id}`;
  const push = frameThrottle(() => {
    const start = performance.now();
    const next = differ.next(items());
    if (next.kind === 'full') installed.update(next.data);
    else if (next.kind === 'diff') installed.patch(next.diff, () => differ.reset());
    if (next.kind !== 'none') performance.measure(measure, { start, end: performance.now() });
  }, minIntervalMs);
  $effect(() => {
    void version();
    push();
  });
  onDestroy(() => {
    push.cancel();
    for (const cleanup of cleanups) cleanup();
    installed.remove();
  });
}
