// Road imports (the county's road network from an OpenStreetMap extract, GeoJSON or a zipped
// Shapefile): what the upload asks for, the report a data manager reads before committing,
// the roads as they are served and routed on, and the preview map. No Node imports.
import type { FeatureCollection, LineString, Point } from 'geojson';
import { z } from 'zod';
import { LngLat, Millis } from './entities.ts';
import { ImportCrs } from './imports.ts';

export const RoadFileFormat = z.enum(['osm-pbf', 'osm-xml', 'geojson', 'shapefile']);

export const RoadImportQuery = z.object({
  /** GeoJSON and Shapefiles only: OpenStreetMap data is WGS-84. */
  crs: ImportCrs.default('wgs84'),
  fileName: z.string().max(200).optional(),
  /** Kept around the county's outline (its bounding box grown by this), km; unset: ROAD_IMPORT_MARGIN_KM. */
  marginKm: z.coerce.number().min(0).max(300).optional(),
});

/** Why a way or feature is not in the network. */
export const RoadDropReason = z.enum(['not-a-road', 'not-drivable', 'no-access', 'bad-geometry', 'outside-area']);

/** A road as served (GET /api/county's roads) and routed on: one direction only when `oneway` (drawn from its first position to its last). */
export const RoadProps = z.object({
  class: z.string(),
  kmh: z.number().positive(),
  oneway: z.boolean(),
  name: z.string().optional(),
});

export const RoadIsland = z.object({
  /** 1 for the largest island (the network's second component), and so on. */
  rank: z.number().int().min(1),
  km: z.number().nonnegative(),
  vertices: z.number().int().min(1),
  /** A point of it, to fly the map there. */
  at: LngLat,
});

export const RoadImportReport = z.object({
  id: z.string(),
  format: RoadFileFormat.nullable(),
  crs: ImportCrs,
  fileName: z.string().nullable(),
  status: z.enum(['pending', 'committed', 'cancelled']),
  createdAt: Millis,
  createdBy: z.string(),
  /** The road set it was checked against: committing over another import is refused. */
  baseVersion: z.string().nullable(),
  fileErrors: z.array(z.string()),
  /** Said before committing: a network in pieces, classes the speed table does not know. Committed only when confirmed. */
  warnings: z.array(z.string()),
  /** What was kept: the county's bounding box grown by the margin, [west, south, east, north]. */
  area: z.object({ bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]), marginKm: z.number() }),
  summary: z.object({
    /** Ways (OSM) or features (GeoJSON, Shapefile) in the file. */
    read: z.number().int().nonnegative(),
    kept: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
    km: z.number().nonnegative(),
    oneWayKm: z.number().nonnegative(),
    vertices: z.number().int().nonnegative(),
    edges: z.number().int().nonnegative(),
  }),
  /** By reason, with some feature numbers (at most 10) of each. */
  dropped: z.array(z.object({ reason: RoadDropReason, count: z.number().int().min(1), examples: z.array(z.number().int()) })),
  /** Kept length by class, longest first, with the table's speed for it (a lower posted maxspeed wins on its road). */
  classes: z.array(z.object({ class: z.string(), kmh: z.number(), km: z.number().nonnegative(), features: z.number().int() })),
  /** Class values the speed table does not name (kept at the default speed). */
  unknownClasses: z.array(z.object({ class: z.string(), features: z.number().int() })),
  /** Connected pieces of the network (either direction counts as connected). */
  components: z.object({
    count: z.number().int().nonnegative(),
    largestKm: z.number().nonnegative(),
    /** The share of the road length in the largest piece (0–1). */
    largestShare: z.number().min(0).max(1),
    /** The largest other pieces, at most 10. */
    islands: z.array(RoadIsland),
  }),
  timings: z.object({ readMs: z.number(), checkMs: z.number() }),
  committed: z.object({ at: Millis, by: z.string(), version: z.string() }).nullable(),
});

/** GET /api/imports/roads/:id/preview: `road`: each kept road with its piece (0 the largest, n the island of rank n, -1 the smaller ones); `island`: a point on each island. */
export const RoadPreviewProps = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('road'), class: z.string(), oneway: z.boolean(), component: z.number().int() }),
  z.object({ kind: z.literal('island'), rank: z.number().int().min(1), km: z.number() }),
]);

export type RoadFileFormat = z.infer<typeof RoadFileFormat>;
export type RoadDropReason = z.infer<typeof RoadDropReason>;
export type RoadProps = z.infer<typeof RoadProps>;
export type RoadIsland = z.infer<typeof RoadIsland>;
export type RoadImportReport = z.infer<typeof RoadImportReport>;
export type RoadPreviewProps = z.infer<typeof RoadPreviewProps>;
export type RoadCollection = FeatureCollection<LineString, RoadProps>;
export type RoadPreview = FeatureCollection<LineString | Point, RoadPreviewProps>;
