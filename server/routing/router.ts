// How long an ambulance needs to reach a place. One interface, two providers: the
// built-in graph over the county's roads (data/<county>/roads.geojson), or an OSRM
// server the county runs on its intranet (ROUTER=osrm, OSRM_URL).
import type { LngLat } from '../schema/index.ts';

export interface Eta {
  etaSeconds: number;
  distanceMeters: number;
}

export interface Route extends Eta {
  /** The way from the unit to the target, [lng, lat] points, WGS-84. */
  geometry: LngLat[];
}

export interface RouteProvider {
  readonly name: 'graph' | 'osrm';
  /** Time and distance from each unit to the target; null where there is no way. */
  etas(target: LngLat, units: { id: string; at: LngLat }[]): Promise<Map<string, Eta | null>>;
  /** One route with its geometry, for the options shown on the map. */
  route(from: LngLat, to: LngLat): Promise<Route | null>;
}
