// Site imports (sampling points, isolation hotels, hospitals, vehicles from CSV or XLSX):
// what the upload asks for, the validation report an admin reads before committing, and
// the pending import kept in the store between the two steps. No Node imports.
import { z } from 'zod';
import { Id, Millis } from './entities.ts';

export const ImportLayer = z.enum(['samplingPoints', 'hotels', 'hospitals', 'ambulances']);
/** The coordinate system of the file's longitudes and latitudes; stored data is always WGS-84. */
export const ImportCrs = z.enum(['wgs84', 'gcj02', 'bd09']);

export const ImportQuery = z.object({ layer: ImportLayer, crs: ImportCrs.default('wgs84'), fileName: z.string().max(200).optional() });
export const CommitQuery = z.object({
  skipInvalid: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** One problem of one row, in Chinese; `row` is the row number as the user sees it in the file (header = 1). */
export const ImportProblem = z.object({ row: z.number().int().min(1), column: z.string().nullable(), message: z.string() });

/** One data row: its id, whether it would create or update an entity, and its errors (none: the row is good). */
export const ImportRow = z.object({
  row: z.number().int().min(1),
  id: z.string().nullable(),
  name: z.string().nullable(),
  action: z.enum(['create', 'update']).nullable(),
  errors: z.array(ImportProblem),
  /** Notes that do not stop the row (an existing id is updated, an unknown column ignored…). */
  notes: z.array(ImportProblem),
});

export const ImportReport = z.object({
  id: z.string(),
  layer: ImportLayer,
  crs: ImportCrs,
  fileName: z.string().nullable(),
  status: z.enum(['pending', 'committed', 'cancelled']),
  createdAt: Millis,
  createdBy: z.string(),
  /** Headings recognised (file heading → field) and not recognised. */
  columns: z.array(z.object({ heading: z.string(), field: z.string().nullable() })),
  /** Problems of the file as a whole (no rows, a required column missing…). */
  fileErrors: z.array(z.string()),
  rows: z.array(ImportRow),
  summary: z.object({ rows: z.number().int(), good: z.number().int(), withErrors: z.number().int(), create: z.number().int(), update: z.number().int() }),
  committed: z
    .object({
      at: Millis,
      by: z.string(),
      seq: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      skipped: z.number().int(),
      /** A vehicle import's terminals: vehicles bound, and bindings refused at commit (an identity another vehicle took since the check). */
      terminals: z.object({ bound: z.number().int(), refused: z.array(z.string()) }).optional(),
    })
    .nullable(),
});

/** A good row's fields as read from the file (coordinates already in WGS-84), applied on commit. */
export const ImportedFields = z.record(z.string(), z.unknown()).and(z.object({ id: Id }));

/** The pending import as kept in the store: the report and the good rows' fields. */
export const PendingImport = z.object({ report: ImportReport, good: z.array(ImportedFields) });

export type ImportLayer = z.infer<typeof ImportLayer>;
export type ImportCrs = z.infer<typeof ImportCrs>;
export type ImportProblem = z.infer<typeof ImportProblem>;
export type ImportRow = z.infer<typeof ImportRow>;
export type ImportReport = z.infer<typeof ImportReport>;
export type ImportedFields = z.infer<typeof ImportedFields>;
export type PendingImport = z.infer<typeof PendingImport>;
