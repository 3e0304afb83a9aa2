// Grid imports (the county's community grids from GeoJSON, a zipped Shapefile or KML): what
// the upload asks for, the validation report an admin reads before committing, and the
// event that tells live screens to reload the grids. No Node imports.
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { z } from 'zod';
import { LngLat, Millis } from './entities.ts';
import { ImportCrs } from './imports.ts';

export const GridFileFormat = z.enum(['geojson', 'shapefile', 'kml']);

export const GridImportQuery = z.object({ crs: ImportCrs.default('wgs84'), fileName: z.string().max(200).optional() });
/** Warnings (small gaps and overlaps, a grid a little over the county line) are committed only when confirmed. */
export const GridCommitQuery = z.object({
  confirmWarnings: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** One problem of one feature; `feature` is its number in the file (the first is 1). */
export const GridProblem = z.object({
  feature: z.number().int().min(1),
  code: z.enum(['missing-field', 'bad-field', 'duplicate-id', 'no-geometry', 'bad-geometry', 'self-intersection', 'outside-county', 'overlap', 'unknown-town']),
  message: z.string(),
});

export const GridOverlap = z.object({
  /** Feature numbers and ids of the two grids. */
  a: z.number().int().min(1),
  b: z.number().int().min(1),
  aId: z.string().nullable(),
  bId: z.string().nullable(),
  areaM2: z.number().nonnegative(),
  /** Large enough to stop the commit. */
  blocking: z.boolean(),
});

export const GridGap = z.object({ areaM2: z.number().nonnegative(), at: LngLat, blocking: z.boolean() });

export const GridImportReport = z.object({
  id: z.string(),
  format: GridFileFormat.nullable(),
  crs: ImportCrs,
  fileName: z.string().nullable(),
  status: z.enum(['pending', 'committed', 'cancelled']),
  createdAt: Millis,
  createdBy: z.string(),
  /** The version of the grids it was checked against (what added and removed mean): committing over others is refused. */
  baseVersion: z.string().nullable().default(null),
  /** Problems of the file as a whole (unreadable, no features, no id column…). */
  fileErrors: z.array(z.string()),
  /** Property names found (file name → grid field, or null when not used). */
  fields: z.array(z.object({ name: z.string(), field: z.string().nullable() })),
  /** Errors stop the commit; warnings need a confirmation. Ordered by feature number. */
  errors: z.array(GridProblem),
  warnings: z.array(GridProblem),
  /** Overlapping pairs, largest first (at most 200). */
  overlaps: z.array(GridOverlap),
  /** The county outline not covered by any grid: the total and the largest pieces (at most 50). */
  gaps: z.object({ totalM2: z.number().nonnegative(), pieces: z.number().int().nonnegative(), largest: z.array(GridGap) }),
  summary: z.object({
    features: z.number().int(),
    good: z.number().int(),
    withErrors: z.number().int(),
    withWarnings: z.number().int(),
    /** Against the grids on the board now. */
    added: z.number().int(),
    removed: z.number().int(),
    kept: z.number().int(),
    overlapM2: z.number().nonnegative(),
    population: z.number().int().nonnegative(),
  }),
  /** Some of the ids added and removed (at most 50 each), for the admin to recognise. */
  addedIds: z.array(z.string()),
  removedIds: z.array(z.string()),
  /** How long reading and checking took, in ms. */
  timings: z.object({ readMs: z.number(), checkMs: z.number() }),
  committed: z
    .object({ at: Millis, by: z.string(), seq: z.number().int().nullable(), version: z.string(), added: z.number().int(), removed: z.number().int(), restamped: z.number().int() })
    .nullable(),
});

/**
 * GET /api/imports/grids/:id/preview: a pending import drawn on a map, in WGS-84 as it would be
 * committed. `grid`: each feature with a usable outline, `problem` its worst level; `overlap`
 * and `gap`: the intersection and gap polygons of the report's overlaps and largest gaps, and
 * with `marker` a point on each (they are often too small to see at the county's zoom).
 */
export const GridPreviewProps = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid'), feature: z.number().int().min(1), id: z.string().nullable(), name: z.string().nullable(), problem: z.enum(['error', 'warning']).nullable() }),
  z.object({ kind: z.literal('overlap'), marker: z.boolean(), a: z.number().int().min(1), b: z.number().int().min(1), areaM2: z.number().nonnegative(), blocking: z.boolean() }),
  z.object({ kind: z.literal('gap'), marker: z.boolean(), areaM2: z.number().nonnegative(), blocking: z.boolean() }),
]);

/** socket.io `static-changed`: a static layer was replaced; refetch /api/grids (new ETag), or the county (its roads, or its towns' labels). */
export const StaticChanged = z.object({ layer: z.enum(['grids', 'roads', 'towns']), version: z.string() });

export type GridFileFormat = z.infer<typeof GridFileFormat>;
export type GridProblem = z.infer<typeof GridProblem>;
export type GridOverlap = z.infer<typeof GridOverlap>;
export type GridGap = z.infer<typeof GridGap>;
export type GridImportReport = z.infer<typeof GridImportReport>;
export type StaticChanged = z.infer<typeof StaticChanged>;
export type GridPreviewProps = z.infer<typeof GridPreviewProps>;
export type GridPreview = FeatureCollection<Polygon | MultiPolygon | Point, GridPreviewProps>;
