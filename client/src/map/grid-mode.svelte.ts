// What the grids' fill shows on the board: their risk level (the default), the share
// sampled in the mass-testing round shown (a commander switches it in the round panel),
// or coverage: minutes to the nearest negative-pressure unit that could go now (the
// dispatcher switches it in the coverage panel).
export type GridMode = 'risk' | 'round' | 'coverage';
export const gridMode = $state<{ value: GridMode }>({ value: 'risk' });

/** Share sampled → colour: red at none, amber half-way, green when done. */
export const SHARE_STOPS: [number, string][] = [
  [0, '#d7301f'],
  [0.5, '#fdbb2d'],
  [1, '#1a9850'],
];

/** Coverage bands, nearest first; the last colour is beyond the worst threshold. */
export const COVER_COLORS = ['#1a9850', '#a6d96a', '#fdbb2d', '#d7301f'];

/** Each grid's minutes to the nearest negative-pressure and ordinary unit (null: beyond the search), and the bands: set by the coverage panel. */
export const coverageShown = $state<{ grids: Record<string, { np: number | null; ordinary: number | null }>; thresholdsMin: number[] }>({ grids: {}, thresholdsMin: [15, 30, 60] });

/** The colour of a grid's minutes in the bands. */
export function coverColor(minutes: number | null, thresholdsMin: readonly number[]): string {
  if (minutes === null) return COVER_COLORS.at(-1)!;
  const band = thresholdsMin.findIndex((t) => minutes <= t);
  const i = band < 0 ? thresholdsMin.length : band;
  // Fewer or more bands than colours: the last colour is always "beyond".
  return i >= thresholdsMin.length ? COVER_COLORS.at(-1)! : COVER_COLORS[Math.min(i, COVER_COLORS.length - 2)]!;
}
