// How fast one client may send positions over HTTP (the batch endpoint, single fixes,
// OsmAnd phones): INGEST_RATE_LIMIT requests a minute per signed-in user, or per address
// for phones, then 429. A runaway terminal or script cannot flood the store.
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/bearer.ts';

export function ingestRateLimit(max: number) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `ingest|${bearerToken(request.headers.authorization) ?? request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => ({
      statusCode: 429,
      code: 'rate-limited',
      message: `上报过于频繁，请${Math.ceil(context.ttl / 1000)}秒后重试 (too many position reports)`,
    }),
  };
}
