// The county's static geometry as the API answers it: GET /api/county (the map's frame),
// GET /api/towns and GET /api/grids (the grids' GeoJSON, as the asking role may see them).
import { z } from 'zod';
import { CountyInfo, Town } from './api.ts';
import { DecontaminationPoint, GridProps } from './entities.ts';
import { GeoArea, GeoFeature, GeoFeatureCollection, GeoLineString, GeoProperties } from './geojson.ts';

/** GET /api/county: the outline, towns, roads and decontamination points. */
export const CountyAnswer = z
  .object({
    info: CountyInfo,
    outline: GeoFeatureCollection(GeoFeature(GeoArea, GeoProperties)),
    towns: z.array(Town),
    roads: GeoFeatureCollection(GeoFeature(GeoLineString, GeoProperties)),
    decontaminationPoints: z.array(DecontaminationPoint),
  })
  .describe("The map's static frame: the county, its outline, towns, roads and decontamination points");
/** GET /api/grids: each grid's geometry and static properties (the wall's without the leads' names). */
export const GridsFile = GeoFeatureCollection(GeoFeature(GeoArea, GridProps));
