// Data is stored in WGS-84; a GCJ-02 basemap (Amap, or an intranet style declared so)
// needs every overlay shifted onto it and every click shifted back, or ambulances sit
// a few hundred metres off their road. gcoord does the arithmetic; it changes GeoJSON
// in place, so geometry is copied first.
import gcoord from 'gcoord';
import type { GeoJSON } from 'geojson';
import type { LngLatPair } from './point-diff.ts';

export type Crs = 'wgs84' | 'gcj02';

export interface Projection {
  crs: Crs;
  /** WGS-84 → the basemap's system. */
  toMap(at: LngLatPair): LngLatPair;
  /** The basemap's system → WGS-84 (a click, a drawn box). */
  fromMap(at: LngLatPair): LngLatPair;
  /** A copy of the GeoJSON in the basemap's system (the same object when no shift is needed). */
  geojsonToMap<T extends GeoJSON>(data: T): T;
}

const identity: Projection = {
  crs: 'wgs84',
  toMap: (at) => at,
  fromMap: (at) => at,
  geojsonToMap: (data) => data,
};

const gcj02: Projection = {
  crs: 'gcj02',
  toMap: (at) => gcoord.transform(at, gcoord.WGS84, gcoord.GCJ02) as LngLatPair,
  fromMap: (at) => gcoord.transform(at, gcoord.GCJ02, gcoord.WGS84) as LngLatPair,
  // A JSON copy: the data may be a Svelte state proxy, which structuredClone refuses.
  geojsonToMap: (data) => gcoord.transform(JSON.parse(JSON.stringify(data)) as never, gcoord.WGS84, gcoord.GCJ02) as unknown as typeof data,
};

export function projectionFor(crs: Crs): Projection {
  return crs === 'gcj02' ? gcj02 : identity;
}
