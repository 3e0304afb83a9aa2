// The current state as GeoJSON, one FeatureCollection per map layer, for GIS tools and
// other agencies: WGS-84 (RFC 7946). Exports leave the board, so they carry no personal
// data: every feature's properties are the wall's view of them (server/domain/privacy.ts,
// an allow-list: no crews' or grid leads' names), and transfer tasks (patients) are not a layer.
import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import type { GridCollection } from '../schema/index.ts';
import { viewEntity, viewGridProps, type ViewContext } from '../domain/privacy.ts';
import type { LiveCollections } from '../schema/index.ts';

export const EXPORT_LAYERS = ['grids', 'samplingPoints', 'hotels', 'hospitals', 'ambulances'] as const;
export type ExportLayer = (typeof EXPORT_LAYERS)[number];

type Props = Record<string, unknown>;
/** No layer exported holds a pickup: no grid point is asked for. */
const NO_POINTS: ViewContext = { gridPoint: () => undefined };

function point(lng: number, lat: number, id: string, properties: Props): Feature<Point, Props> {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lng, lat] }, properties };
}

/** One layer of the live state (and the county's grids) as a FeatureCollection. */
export function layerGeoJson(layer: ExportLayer, collections: LiveCollections, grids: GridCollection): FeatureCollection<Point | Polygon | MultiPolygon, Props> {
  const features: Feature<Point | Polygon | MultiPolygon, Props>[] = [];
  if (layer === 'grids') {
    for (const grid of grids.features) {
      const status = collections.gridStatus[grid.properties.id];
      features.push({
        ...grid,
        id: grid.properties.id,
        properties: { ...viewGridProps('public', grid.properties), risk: status?.risk ?? null, riskSetAt: status?.updatedAt ?? null },
      });
    }
  } else if (layer === 'ambulances') {
    for (const unit of Object.values(collections.ambulances)) {
      if (!unit.fix) continue; // no position, no feature
      const { fix, ...rest } = viewEntity('public', 'ambulances', unit, NO_POINTS);
      features.push(point(fix!.lng, fix!.lat, unit.id, { ...rest, fixAt: fix!.at, speed: fix!.speed, heading: fix!.heading }));
    }
  } else {
    for (const site of Object.values(collections[layer])) {
      const { location, ...rest } = viewEntity('public', layer, site, NO_POINTS);
      features.push(point(location[0], location[1], site.id, rest));
    }
  }
  features.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return { type: 'FeatureCollection', features };
}
