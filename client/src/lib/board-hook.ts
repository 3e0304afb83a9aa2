// window.__board: a read-only window into the running board for the browser test and
// for people debugging a wall from the console.
import type { Map } from 'maplibre-gl';
import type { LiveState } from './live.svelte.ts';

export interface BoardHook {
  map: Map;
  live: LiveState;
  /** Set on the map's first `idle` after the layers and a snapshot are in. */
  idle: boolean;
  seq(): number;
  /** id → [lng, lat] of every ambulance with a fix. */
  ambulancePositions(): Record<string, [number, number]>;
}

declare global {
  interface Window {
    __board?: BoardHook;
  }
}

export function installBoardHook(map: Map, live: LiveState): BoardHook {
  const hook: BoardHook = {
    map,
    live,
    idle: false,
    seq: () => live.seq,
    ambulancePositions() {
      const out: Record<string, [number, number]> = {};
      for (const a of Object.values(live.collections.ambulances)) if (a.fix) out[a.id] = [a.fix.lng, a.fix.lat];
      return out;
    },
  };
  window.__board = hook;
  const onIdle = () => {
    if (live.inSync && map.getLayer('ambulances-circle')) hook.idle = true;
  };
  map.on('idle', onIdle);
  return hook;
}
