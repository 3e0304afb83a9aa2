// How fast one client may send positions over HTTP (the batch endpoint, single fixes,
// OsmAnd phones): INGEST_RATE_LIMIT requests a minute per signed-in user, or per address
// for phones, then 429. A runaway terminal or script cannot flood the store.
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/bearer.ts';
import { REFUSAL_STATUS } from '../schema/outcome.ts';

export function ingestRateLimit(max: number) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `ingest|${bearerToken(request.headers.authorization) ?? request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => ({
      statusCode: REFUSAL_STATUS['rate-limited'],
      code: 'rate-limited',
      message: `上报过于频繁，请${Math.ceil(context.ttl / 1000)}秒后重试 (too many position reports)`,
    }),
  };
}
