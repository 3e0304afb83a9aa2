// GET /api/audit: a page of the audit log, newest first (server/routes/audit.ts).
import { z } from 'zod';
import { StoredAuditEntry } from './stored.ts';

/** One entry as kept (server/plugins/audit.ts writes them), with its id in the log. */
export const AuditEntryAnswer = StoredAuditEntry.extend({ id: z.string() });
/** The entries, and `next`: the id to ask `before` for the page after this one (null: this is the last). */
export const AuditPage = z.object({ data: z.array(AuditEntryAnswer), next: z.string().nullable() }).describe('A page of the audit log, newest first, and the cursor to the next');
