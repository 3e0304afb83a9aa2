// Town and village imports (乡镇村): the county's towns and villages (communities) with their
// codes, centres and populations, from CSV or XLSX; the records the board labels and finds
// places by once committed, and the report an admin reads before committing. No Node imports.
import type { FeatureCollection, Point } from 'geojson';
import { z } from 'zod';
import { LngLat, Millis } from './entities.ts';
import { ImportCrs } from './imports.ts';

/** Where a record's centre came from: the file, or computed from its grids. */
export const CentreSource = z.enum(['given', 'grids']);

export const TownRecord = z.object({
  /** The 9-digit town code (乡镇级区划代码). */
  code: z.string().regex(/^\d{9}$/),
  name: z.string().min(1).max(40),
  center: LngLat,
  centerSource: CentreSource,
  population: z.number().int().nonnegative().nullable(),
  /** The seat of the county government. */
  seat: z.boolean(),
});

export const VillageRecord = z.object({
  /** The 12-digit village or community code (村级区划代码); its first 9 digits are its town's. */
  code: z.string().regex(/^\d{12}$/),
  name: z.string().min(1).max(40),
  townCode: z.string().regex(/^\d{9}$/),
  center: LngLat,
  centerSource: CentreSource,
  population: z.number().int().nonnegative().nullable(),
});

/** A committed set of towns and villages: it replaces towns.json (and the villages named on the grids). */
export const TownSet = z.object({ towns: z.array(TownRecord).min(1), villages: z.array(VillageRecord) });

export const TownImportQuery = z.object({ crs: ImportCrs.default('wgs84'), fileName: z.string().max(200).optional() });
/** Rows with errors are left out only when asked; flagged centres (outside the county line) need a confirmation. */
export const TownCommitQuery = z.object({
  confirmWarnings: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  skipInvalid: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const TownRejectReason = z.enum(['missing-field', 'bad-field', 'bad-code', 'foreign-code', 'duplicate-code', 'unknown-town', 'bad-centre', 'no-centre']);

/** One row of the file as checked: its row number in the file (the heading is row 1). */
export const TownImportRow = z.object({
  row: z.number().int().min(2),
  kind: z.enum(['town', 'village']).nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  townCode: z.string().nullable(),
  centerSource: CentreSource.nullable(),
  /** The centre inside the county line or not (a flagged centre is kept once confirmed). */
  flagged: z.boolean(),
  errors: z.array(z.object({ reason: TownRejectReason, column: z.string().nullable(), message: z.string() })),
  notes: z.array(z.string()),
});

const Named = z.object({ code: z.string(), name: z.string(), grids: z.number().int().nonnegative() });

export const TownImportReport = z.object({
  id: z.string(),
  format: z.enum(['csv', 'xlsx']).nullable(),
  crs: ImportCrs,
  fileName: z.string().nullable(),
  status: z.enum(['pending', 'committed', 'cancelled']),
  createdAt: Millis,
  createdBy: z.string(),
  /** The version of the towns it was checked against: committing over another import is refused. */
  baseVersion: z.string().nullable(),
  fileErrors: z.array(z.string()),
  /** The file's headings and the field each feeds (null: not used). */
  columns: z.array(z.object({ heading: z.string(), field: z.string().nullable() })),
  rows: z.array(TownImportRow),
  summary: z.object({
    rows: z.number().int(),
    kept: z.number().int(),
    rejected: z.number().int(),
    towns: z.number().int(),
    villages: z.number().int(),
    centresGiven: z.number().int(),
    centresFromGrids: z.number().int(),
    flagged: z.number().int(),
    /** The file has no town rows (or no village rows): the board's present ones are kept. */
    keepsTowns: z.boolean(),
    keepsVillages: z.boolean(),
  }),
  /** Rejected rows by reason, with their row numbers (at most 50 each). */
  rejected: z.array(z.object({ reason: TownRejectReason, count: z.number().int(), rows: z.array(z.number().int()) })),
  /** Against the grids on the board: places with grids and no record, records with no grid (at most 100 each). */
  unmatched: z.object({
    townsWithoutRecord: z.array(Named),
    villagesWithoutRecord: z.array(Named),
    townsWithoutGrids: z.array(Named),
    villagesWithoutGrids: z.array(Named),
  }),
  warnings: z.array(z.string()),
  timings: z.object({ readMs: z.number(), checkMs: z.number() }),
  committed: z.object({ at: Millis, by: z.string(), version: z.string(), towns: z.number().int(), villages: z.number().int() }).nullable(),
});

/** GET /api/imports/towns/:id/preview: each kept record's centre, as it would be committed. */
export const TownPreviewProps = z.object({
  kind: z.enum(['town', 'village']),
  code: z.string(),
  name: z.string(),
  row: z.number().int().nullable(),
  centerSource: CentreSource,
  flagged: z.boolean(),
});

export type CentreSource = z.infer<typeof CentreSource>;
export type TownRecord = z.infer<typeof TownRecord>;
export type VillageRecord = z.infer<typeof VillageRecord>;
export type TownSet = z.infer<typeof TownSet>;
export type TownRejectReason = z.infer<typeof TownRejectReason>;
export type TownImportRow = z.infer<typeof TownImportRow>;
export type TownImportReport = z.infer<typeof TownImportReport>;
export type TownPreviewProps = z.infer<typeof TownPreviewProps>;
export type TownPreview = FeatureCollection<Point, TownPreviewProps>;
