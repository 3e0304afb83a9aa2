// What the grids' fill shows on the board: their risk level (the default), or the share
// sampled in the mass-testing round shown (a commander switches it in the round panel).
export type GridMode = 'risk' | 'round';
export const gridMode = $state<{ value: GridMode }>({ value: 'risk' });

/** Share sampled → colour: red at none, amber half-way, green when done. */
export const SHARE_STOPS: [number, string][] = [
  [0, '#d7301f'],
  [0.5, '#fdbb2d'],
  [1, '#1a9850'],
];
