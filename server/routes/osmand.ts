// /osmand: phones running Traccar Client (or OsmAnd) report here; set the app's server
// URL to https://<board>/osmand. The device id must be a terminal known to the county
// (DATA_DIR/terminals.json); the fix passes the same position filter as every source.
// There is no password in this protocol: an unknown id is refused and counted.
import { ingestRateLimit } from '../ingest/rate-limit.ts';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { terminalKey } from '../county/county.ts';
import { FixCounters, judgeFix } from '../ingest/fix-filter.ts';
import { parseOsmand } from '../ingest/osmand.ts';

declare module 'fastify' {
  interface FastifyInstance {
    osmandCounters: FixCounters & { unknownDevice: number };
  }
}

const routes: FastifyPluginAsync = async (app) => {
  const counters = Object.assign(new FixCounters(), { unknownDevice: 0 });
  app.decorate('osmandCounters', counters);
  const handle = async (query: unknown, body: unknown) => {
    const now = app.clock();
    const fix = parseOsmand((query ?? {}) as Record<string, unknown>, body, now);
    if ('error' in fix) return { status: 400, body: { error: 'bad-request', message: fix.error } };
    const ambulanceId = app.county.terminals.get(terminalKey(fix.deviceId));
    if (!ambulanceId) {
      counters.unknownDevice++;
      return { status: 404, body: { error: 'not-found', message: 'unknown device' } };
    }
    const previous = (await app.store.get('ambulances', ambulanceId))?.fix ?? null;
    const verdict = judgeFix(fix, previous, now, app.config.fixLimits);
    counters.count(verdict);
    // A refused fix is still acknowledged: the phone must not resend it forever.
    if (verdict === 'ok') await app.updates.reportPosition(ambulanceId, { lng: fix.lng, lat: fix.lat, at: fix.at, speed: Math.min(400, fix.speed), heading: fix.heading });
    return { status: 200, body: { ok: true, accepted: verdict === 'ok', verdict } };
  };
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/osmand',
      config: { rateLimit: ingestRateLimit(app.config.ingestRateLimit) },
      handler: async (request, reply) => {
        const { status, body } = await handle(request.query, request.body);
        return reply.code(status).send(body);
      },
    });
  }
  // Form posts (application/x-www-form-urlencoded) as the older clients send them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(text)))),
  );
};
// Not encapsulated, so /metrics can read the counters.
export default fp(routes, { name: 'osmand', dependencies: ['services'] });
