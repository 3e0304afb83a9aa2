// The one way a route answers: an Outcome (server/schema/outcome.ts) as `{ data, …beside }`
// with 200 (201 for something created), an op already applied as `{ data, duplicate: true }`,
// a refusal as `{ error, message, …beside }` with its code's one status (REFUSAL_STATUS).
// What is said beside is what the service put there.
import type { FastifyReply } from 'fastify';
import { REFUSAL_STATUS, type RefusalCode, type Repeated } from '../schema/outcome.ts';

/** Any refusal: an Outcome's, or one a route makes, with what it says beside (`ok` is never sent). */
type Refusal = { ok?: false; error: RefusalCode; message: string; [beside: string]: unknown };
/** Any outcome whose refusals the API has a status for. */
type Answerable = { ok: true; value: unknown } | Repeated<unknown> | (Refusal & { ok: false });

/** Done → `{ data: value, …beside }` with 200, or 201 when `created`; repeated → 200; refused → as `refuse` says it. */
export function answer(reply: FastifyReply, outcome: Answerable, { created = false }: { created?: boolean } = {}): FastifyReply {
  if (!outcome.ok) return refuse(reply, outcome);
  if (outcome.ok === 'duplicate') return reply.code(200).send({ data: outcome.value, duplicate: true });
  const { ok: _ok, value, ...beside } = outcome;
  return reply.code(created ? 201 : 200).send({ data: value, ...beside });
}

/** `{ error, message, …beside }` with the status of its code: `refuse(reply, refusal)` or `refuse(reply, 'not-found', '…')`. */
export function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply;
export function refuse(reply: FastifyReply, error: RefusalCode, message: string): FastifyReply;
export function refuse(reply: FastifyReply, refusal: Refusal | RefusalCode, text?: string): FastifyReply {
  const given: Refusal = typeof refusal === 'string' ? { error: refusal, message: text ?? '' } : refusal;
  const { ok: _ok, error, message, ...beside } = given;
  return reply.code(REFUSAL_STATUS[error]).send({ error, message, ...beside });
}
