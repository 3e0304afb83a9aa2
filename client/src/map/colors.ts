// The board's palette, shared by the map layers and the legend so they cannot disagree.
import type { AmbulanceStatus, HospitalRole, RiskLevel } from '../../../server/schema/index.ts';
import type { QueueLevel } from '../lib/queue-level.ts';

export const riskColor: Record<RiskLevel, string> = {
  low: '#8fd694',
  medium: '#f5b82e',
  high: '#e5484d',
  precaution: '#f2e36b',
  controlled: '#f08a24',
  sealed: '#8e1b1b',
};
/** A grid whose status has not arrived yet. */
export const riskUnknownColor = '#c9d1d9';

export const queueColor: Record<QueueLevel, string> = {
  smooth: '#2fbf71',
  busy: '#f5a623',
  congested: '#e5484d',
  resting: '#8a96a3',
};

export const hospitalColor: Record<HospitalRole, string> = {
  designated: '#d7263d',
  reserve: '#b5179e',
  makeshift: '#7209b7',
  'fever-clinic': '#f77f00',
};
export const hotelColor = '#3a7bd5';

export const ambulanceColor: Record<AmbulanceStatus, string> = {
  available: '#2fbf71',
  dispatched: '#f5a623',
  'on-scene': '#ff6b35',
  transporting: '#e5484d',
  'handed-over': '#4dabf7',
  disinfecting: '#9c6ade',
  offline: '#6b7785',
};
/** The ring that marks a negative-pressure ambulance. */
export const negativePressureRing = '#ffffff';

/** A MapLibre `match` expression mapping a string property or state to the palette. */
export function matchColor<K extends string>(input: unknown, palette: Record<K, string>, fallback: string): unknown[] {
  const pairs = Object.entries(palette).flat();
  return ['match', input, ...pairs, fallback];
}

/** The county's frame (outline, roads, labels, grid borders) for each theme. */
export const frameColors = {
  light: { outline: '#1d3557', road: '#6c757d', label: '#1d3557', halo: '#ffffff', gridBorder: '#ffffff', gridFillOpacity: 0.6 },
  dark: { outline: '#7cc4ff', road: '#52677d', label: '#dbe9f7', halo: '#0b1622', gridBorder: '#0b1622', gridFillOpacity: 0.45 },
} as const;

/** A grid import's preview map: each feature by its worst problem, and the overlaps and gaps. */
export const importPreviewColor = { ok: '#4dabf7', error: '#e5484d', warning: '#f08a24', overlap: '#9c36b5', gap: '#fcc419' } as const;
