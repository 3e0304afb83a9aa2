// A moving unit's grid with hysteresis: a unit driving along a grid edge, its fixes
// jittering a few metres either side, keeps the grid it is in until it is past a margin
// inside another one, so the live feed does not flap between two grids. A point within
// `marginMeters` of the current grid (probed on two rings of eight points around it)
// still counts as in it. The probes run only when the plain answer differs from the
// current grid, i.e. near edges: elsewhere this costs one lookup, as locate does.
import type { Locator } from './locator.ts';

/** The default margin: above twice the ±15 m a consumer GPS wanders. */
export const GRID_EDGE_MARGIN_METERS = 30;

const METERS_PER_DEGREE_LAT = 111_320;
const DIRECTIONS = Array.from({ length: 8 }, (_, k) => [Math.cos((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4)] as const);

export function stickyGridId(
  locator: Pick<Locator<{ id: string }>, 'locate'>,
  currentId: string | null,
  lng: number,
  lat: number,
  marginMeters: number = GRID_EDGE_MARGIN_METERS,
): string | null {
  const plain = locator.locate(lng, lat)?.id ?? null;
  if (currentId === null || plain === currentId || marginMeters <= 0) return plain;
  const dLat = marginMeters / METERS_PER_DEGREE_LAT;
  const dLng = dLat / Math.max(1e-6, Math.cos((lat * Math.PI) / 180));
  for (const share of [1, 0.5]) {
    for (const [dx, dy] of DIRECTIONS) {
      if (locator.locate(lng + dx * dLng * share, lat + dy * dLat * share)?.id === currentId) return currentId;
    }
  }
  return plain;
}
