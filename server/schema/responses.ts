// The bodies the API answers with, as schemas: each route's `schema.response`, from which the
// OpenAPI page (GET /api/openapi.json) is generated. They describe and type the answers; they
// never filter or check them (server/plugins/openapi.ts): a body is sent as the route made it.
import { z } from 'zod';
import { CountyInfo, Role } from './api.ts';
import { Millis } from './entities.ts';
import { StoreStatus } from './live.ts';
import type { ContentAnswer } from './files.ts';
import { ErrorBody } from './outcome.ts';

const Seq = z.number().int().nonnegative();

/** `{ data }`: what a read answers, or a change that writes no delta. */
export const DataBody = <T extends z.ZodType>(data: T) => z.object({ data });
/** `{ data, seq }`: a change to the live state, with the store's seq after it. */
export const ChangeBody = <T extends z.ZodType>(data: T) => z.object({ data, seq: Seq });
/** `{ data, seq? }`: an import's report; `seq` once a commit wrote its delta. */
export const ReportBody = <T extends z.ZodType>(data: T) => z.object({ data, seq: Seq.optional() });
/** `{ data, seq }` or, for an op already applied (by its opId), `{ data, duplicate: true }` with the entity as it stands. */
export const OpBody = <T extends z.ZodType>(data: T) => z.object({ data: data.optional(), seq: Seq.optional(), duplicate: z.literal(true).optional() });

/** What any route may be refused with: bad input, not signed in, not allowed, unknown, conflict, store down… */
export const REFUSALS = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** `schema.response` for a route: its answers by status (a body's schema, or a file's by media type: schema/files.ts), and the refusals. */
export const responses = <R extends Record<number, z.ZodType | ContentAnswer>>(answers: R) => ({ ...answers, ...REFUSALS });

/** GET /api/health (open to all): whether the store answers (200, else 503 with the same body) and which county the board serves. */
export const Health = z.object({
  status: z.enum(['ok', 'store-unreachable']),
  county: CountyInfo.pick({ code: true, name: true, nameEn: true, timeZone: true }),
  store: StoreStatus.extend({ kind: z.enum(['redis', 'memory']) }),
  seq: Seq.nullable(),
  clients: z.number().int().nonnegative(),
  time: Millis,
});
/** GET /api/auth/me: the session asking. */
export const Me = z.object({ username: z.string(), role: Role, expiresAt: Millis });
/** GET /api/grids/:id/neighbours: the grids sharing an edge with it. */
export const Neighbours = z.object({ id: z.string(), neighbours: z.array(z.string()) });
