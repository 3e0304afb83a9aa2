// The static data every view loads once over HTTP: the county frame, the grids and
// the screen settings (basemap).
import { setCounty } from './county.svelte.ts';
import { setQueueThresholds } from './queue-level.ts';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ClientConfig, CountyResponse as CountyData, GridCollection } from '../../../server/schema/index.ts';
import { api } from './api.ts';

export type { ClientConfig, CountyData, GridCollection };

export interface BoardData {
  county: CountyData;
  grids: GridCollection;
  config: ClientConfig;
  /** [west, south, east, north] of the county outline. */
  bounds: [number, number, number, number];
}

export function boundsOf(fc: FeatureCollection<Polygon | MultiPolygon>): [number, number, number, number] {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const f of fc.features) {
    const rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const polygon of rings)
      for (const ring of polygon)
        for (const [x = 0, y = 0] of ring) {
          if (x < w) w = x;
          if (x > e) e = x;
          if (y < s) s = y;
          if (y > n) n = y;
        }
  }
  if (!Number.isFinite(w)) throw new Error('the county outline has no coordinates');
  return [w, s, e, n];
}

/** The grids of one version, which never change (cached for good). */
export const gridsUrl = (version: string): string => `/api/grids?v=${encodeURIComponent(version)}`;

export async function loadBoardData(signal?: AbortSignal): Promise<BoardData> {
  const configAndGrids = async () => {
    const config = await api<ClientConfig>('/api/client-config', { signal });
    // By version: a grid set the browser has seen comes from its cache without a request.
    return [config, await api<GridCollection>(gridsUrl(config.gridsVersion), { signal })] as const;
  };
  const [county, [config, grids]] = await Promise.all([api<CountyData>('/api/county', { signal }), configAndGrids()]);
  setQueueThresholds(config.queueThresholds);
  setCounty(config.county);
  return { county, grids, config, bounds: boundsOf(county.outline) };
}
