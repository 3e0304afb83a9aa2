// The part every live point layer shares: redraw its source when its collection
// changes (throttled to animation frames), and remove everything on destroy.
// Call during a component's initialisation.
import { onDestroy } from 'svelte';
import type { GeoJSONSourceSpecification } from 'maplibre-gl';
import { frameThrottle, type Installed } from './layer-kit.ts';

export function syncLiveSource(
  installed: Installed,
  /** Read inside: the collection's version, so the effect reruns when it changes. */
  version: () => number,
  features: () => GeoJSONSourceSpecification['data'],
  minIntervalMs: number,
  /** Popup bindings and the like, undone with the layer. */
  cleanups: (() => void)[] = [],
): void {
  const push = frameThrottle(() => installed.update(features()), minIntervalMs);
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
