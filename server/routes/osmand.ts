// /osmand: phones running Traccar Client (or OsmAnd) report here. The protocol has no
// password, so each device has its own key, given in the URL: set the app's server URL
// to https://<board>/osmand/<key> (every client keeps a path; Traccar Client for iOS
// drops query parameters of the server URL), or https://<board>/osmand?key=<key>.
// The device id must be bound to a vehicle (the store's bindings, plugins/terminals.ts) with
// the SHA-256 of the key (made on the vehicles' screen and shown once, or the key an unknown
// phone reported with, adopted when an admin binds it); an unknown device and a wrong key get the same 403. The fix passes the same position
// filter as every source. No request lines are logged here: the URL carries the key.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ingestRateLimit } from '../ingest/rate-limit.ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FixCounters, judgeFix } from '../ingest/fix-filter.ts';
import { parseOsmand } from '../ingest/osmand.ts';
import { refused } from '../schema/outcome.ts';
import { refuse } from '../http/reply.ts';

declare module 'fastify' {
  interface FastifyInstance {
    osmandCounters: FixCounters & { unknownDevice: number; badKey: number; noPosition: number };
  }
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
/** Compared as digests: equal length whatever was sent, and no early exit. */
const keyMatches = (given: string, expectedHash: string | undefined): boolean =>
  timingSafeEqual(sha256(given), expectedHash ? Buffer.from(expectedHash, 'hex') : sha256(`none:${given}`)) && !!expectedHash;

/** The device key: the path's, else a `key` query, form or JSON field (a text of sane length). */
function keyOf(params: unknown, query: unknown, body: unknown): string | undefined {
  const candidates = [
    (params as { key?: unknown } | undefined)?.key,
    (query as { key?: unknown } | undefined)?.key,
    body && typeof body === 'object' ? (body as { key?: unknown }).key : undefined,
  ];
  const key = candidates.find((k) => typeof k === 'string' && k !== '');
  return typeof key === 'string' && key.length <= 256 ? key : undefined;
}

const routes: FastifyPluginAsync = async (app) => {
  const counters = Object.assign(new FixCounters(), { unknownDevice: 0, badKey: 0, noPosition: 0 });
  app.decorate('osmandCounters', counters);
  const handle = async (request: FastifyRequest, params: unknown, query: unknown, body: unknown) => {
    const now = app.clock();
    // A malformed request is told so first: that says nothing about devices or keys.
    const fix = parseOsmand((query ?? {}) as Record<string, unknown>, body, now);
    if ('error' in fix) return refused('bad-request', fix.error);
    const key = keyOf(params, query, body);
    if (!key) return refused('unauthorized', '缺少设备密钥 (device key missing: /osmand/<key> or key=)');
    // Matched exactly: an OsmAnd id is an identity of its own kind (no zeros stripped to meet a phone).
    const binding = app.terminals.directory.osmandOf(fix.deviceId);
    // Listed for admins to bind (throttled): the device id exactly as sent, and only the SHA-256 of its key.
    if (!binding) {
      const position = 'noPosition' in fix ? null : { lng: fix.lng, lat: fix.lat, at: fix.at };
      app.unknownTerminals.note({
        kind: 'osmand',
        identity: fix.deviceId,
        remote: request.ip,
        lastMessage: 'osmand',
        lastPosition: position,
        keyHash: sha256(key).toString('hex'),
      });
    }
    // One answer for an unknown device, a device without a key and a wrong key: no list of ids to be had.
    if (!keyMatches(key, binding?.osmandKeyHash)) {
      if (binding) counters.badKey++;
      else counters.unknownDevice++;
      return refused('forbidden', '设备或密钥不符 (unknown device or wrong key)');
    }
    // Nothing to place (a cell or Wi-Fi report): acknowledged and counted, so the app lets it go.
    if ('noPosition' in fix) {
      counters.noPosition++;
      return { ok: true as const, accepted: false, verdict: 'no-position' };
    }
    const ambulanceId = binding!.ambulanceId;
    const previous = (await app.store.get('ambulances', ambulanceId))?.fix ?? null;
    const verdict = judgeFix(fix, previous, now, app.config.fixLimits);
    counters.count(verdict);
    // A refused fix is still acknowledged: the phone must not resend it forever. An unknown
    // heading keeps the unit's last one.
    const heading = fix.heading ?? previous?.heading ?? 0;
    if (verdict === 'ok') await app.updates.reportPosition(ambulanceId, { lng: fix.lng, lat: fix.lat, at: fix.at, speed: Math.min(400, fix.speed), heading });
    return { ok: true as const, accepted: verdict === 'ok', verdict };
  };
  for (const method of ['GET', 'POST'] as const) {
    for (const url of ['/osmand', '/osmand/:key']) {
      app.route({
        method,
        url,
        logLevel: 'warn',
        config: { rateLimit: ingestRateLimit(app.config.ingestRateLimit) },
        handler: async (request, reply) => {
          // Taken (or acknowledged) → `{ ok: true, accepted, verdict }`; refused → the API's error body.
          const result = await handle(request, request.params, request.query, request.body);
          return result.ok ? reply.send(result) : refuse(reply, result);
        },
      });
    }
  }
  // Form posts (application/x-www-form-urlencoded) as the older clients send them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) => done(null, Object.fromEntries(new URLSearchParams(String(text)))));
};
// Not encapsulated, so /metrics can read the counters.
export default fp(routes, { name: 'osmand', dependencies: ['services', 'terminals'] });
