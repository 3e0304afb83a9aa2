// Payloads the store keeps as JSON and reads back (server/store): each read is parsed with
// these, so a malformed record is dropped and logged instead of passed on. Not sent to clients.
import { z } from 'zod';
import { Role } from './api.ts';
import { CollectionName } from './live.ts';

/** An account as stored (store.ts StoredUser): scrypt hash and salt, both base64. */
export const StoredUser = z.object({
  username: z.string(),
  role: Role,
  passwordHash: z.string(),
  salt: z.string(),
  disabled: z.boolean(),
  createdAt: z.number(),
  samplingPoints: z.array(z.string()).optional(),
  version: z.number().int().optional(),
  epoch: z.number().int().optional(),
});

/** A session as stored under the SHA-256 of its token (store.ts StoredSession, without the token). */
export const StoredSessionRecord = z.object({
  username: z.string(),
  role: Role,
  expiresAt: z.number(),
  epoch: z.number().int().optional(),
});

/** What ended, as published on the revocation channel: one session (by its id) or every session of an account. */
export const RevokedMessage = z.union([z.object({ sessionId: z.string() }), z.object({ username: z.string() })]);

/** A JT/T 808 terminal's registration (store.ts StoredTerminalRegistration). */
export const StoredTerminalRegistration = z.object({ phone: z.string(), codeHash: z.string(), terminalId: z.string(), plate: z.string(), registeredAt: z.number() });

/** When and by whom a grid, road or town set was committed (grids:meta, roads:meta, towns:meta). */
export const StoredSetMeta = z.object({ committedAt: z.number(), by: z.string() });

/** One audit entry (plugins/audit.ts writes them, routes/audit.ts reads them): who did what to which record, with what answer. */
export const StoredAuditEntry = z.object({
  at: z.number(),
  user: z.string().nullable(),
  role: z.string().nullable(),
  ip: z.string(),
  method: z.string(),
  route: z.string(),
  url: z.string(),
  status: z.number(),
  subject: z.object({ collection: z.union([CollectionName, z.enum(['accounts', 'imports', 'vehicle-terminals'])]), id: z.string() }).nullable(),
  before: z.unknown(),
  after: z.unknown(),
  body: z.unknown(),
});
export type AuditEntry = z.infer<typeof StoredAuditEntry>;

/** A cell of a kept report: JSON writes a figure that was not a number (NaN) as null, which reads back as an empty cell. */
const ReportCell = z.union([z.string(), z.number(), z.null().transform(() => '')]);

/** A daily report as kept (services/reports.ts; its shape is domain/daily-report.ts's DailyReport). */
export const StoredReport = z.object({
  date: z.string(),
  timeZone: z.string(),
  generatedAt: z.number(),
  onDemand: z.boolean(),
  zero: z.boolean(),
  title: z.string(),
  sheets: z.array(z.object({ name: z.string(), columns: z.array(z.string()), rows: z.array(z.array(ReportCell)) })),
});

/** A kept report's listing, beside it (the list and the due check read these, not whole reports). */
export const StoredReportListing = StoredReport.pick({ date: true, title: true, generatedAt: true, onDemand: true, zero: true });
