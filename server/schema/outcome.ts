// What a service answers and how the API says it, in one place. A service returns an
// Outcome: done (a value, and what is said beside it, e.g. the store's `seq`) or refused (one
// of the codes below, a message for people, and what is said beside it, e.g. the steps allowed).
// server/http/reply.ts turns it into the answer: `{ data, …beside }` with 200 (201 for
// something created), or `{ error, message, …beside }` with the code's one HTTP status.
import { z } from 'zod';

/** Every refusal the API gives, each with its one HTTP status. */
export const REFUSAL_STATUS = {
  'bad-request': 400,
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'request-timeout': 408,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'range-not-satisfiable': 416,
  'rate-limited': 429,
  internal: 500,
  'store-unavailable': 503,
} as const;
export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** The refusals a change to the board's state may end in. */
export type ChangeRefusal = 'not-found' | 'invalid' | 'conflict';

/** A refusal: its code, a message for people, and what is said beside them. */
export type Refused<E extends RefusalCode = RefusalCode, Beside extends object = object> = { ok: false; error: E; message: string } & Beside;
/** Done: the value (answered as `data`) and what is said beside it. */
export type Done<T, Beside extends object = object> = { ok: true; value: T } & Beside;
/** What a service answers. */
export type Outcome<T, E extends RefusalCode = ChangeRefusal, DoneBeside extends object = object, RefusedBeside extends object = object> =
  Done<T, DoneBeside> | Refused<E, RefusedBeside>;
/** A change written to the live state: done with the store's seq after it. */
export type ChangeOutcome<T, E extends RefusalCode = ChangeRefusal> = Outcome<T, E, { seq: number }>;

/** An op already applied (by its opId): nothing written, the entity answered as it stands with `duplicate: true`. */
export type Repeated<T> = { ok: 'duplicate'; value: T | undefined };

/** A refusal as a value, e.g. `refused('not-found', '…')`. */
export const refused = <E extends RefusalCode>(error: E, message: string): Refused<E> => ({ ok: false, error, message });

/**
 * Every error body: a code and a message for people; for bad input the problems found; and
 * what a refusal says beside them (the steps allowed, a fresh recommendation, the owner…).
 */
export const ErrorBody = z.looseObject({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
