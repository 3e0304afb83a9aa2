// GET /metrics for Prometheus: live screens by role, messages, snapshots, replays and
// resyncs sent, slow screens cut off, the store's seq and how fast it answers, positions
// taken and refused by reason (batch endpoint and JT/T 808), alerts by severity and
// status, and the process's own figures (memory, event-loop delay). Not public: the
// scraper sends METRICS_TOKEN as a bearer token, or an admin signs in.
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { bearerToken } from './auth.ts';
import { refuse } from '../http/reply.ts';

export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'board_process_' });
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void | Promise<void>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          return collect(this);
        },
      });

    gauge('board_live_clients', 'Live screens connected to this process, by role', ['role'], (g) => {
      g.reset();
      for (const [role, n] of Object.entries(app.gateway.clientsByRole())) g.set({ role }, n);
    });
    gauge('board_live_classes', 'Classes of screens served together', [], (g) => g.set(app.gateway.classCount));
    gauge('board_live_sent_total', 'Messages sent to screens since start, by kind', ['kind'], (g) => {
      for (const [kind, n] of Object.entries(app.gateway.counts)) g.set({ kind }, n);
    });
    gauge('board_live_slow_clients_dropped_total', 'Screens cut off for not reading', [], (g) => g.set(app.gateway.slowClientsDropped));
    gauge('board_store_up', '1 when the store answers (the store watch: a ping a second)', [], (g) => g.set(app.storeWatch.reachable ? 1 : 0));
    gauge('board_live_bytes_sent_total', 'Bytes of live messages written to screens since start', [], (g) => g.set(app.gateway.bytesSent));
    gauge('board_store_ping_seconds', 'How long the store took to answer a ping (NaN while unreachable)', [], async (g) => {
      if (!app.storeWatch.reachable) return g.set(NaN);
      const start = performance.now();
      await app.store.ping();
      g.set((performance.now() - start) / 1000);
    });
    gauge('board_store_seq', 'The store’s sequence number', [], async (g) => g.set(await app.store.seq().catch(() => NaN)));
    gauge('board_positions_total', 'Positions taken or refused since start, by source and reason', ['source', 'result'], (g) => {
      const sources = { batch: app.updates.positionCounters, jt808: app.jt808?.counters, osmand: app.osmandCounters };
      for (const [source, counters] of Object.entries(sources)) {
        if (!counters) continue;
        g.set({ source, result: 'accepted' }, counters.accepted);
        for (const [reason, n] of Object.entries(counters.refused)) g.set({ source, result: reason }, n);
      }
    });
    gauge('board_jt808_connections', 'Vehicle terminals connected', [], (g) => g.set(app.jt808?.connections ?? 0));
    gauge('board_unknown_terminal_sightings_deferred', 'Sightings of unknown terminals not written for the write budget (written later)', [], (g) =>
      g.set(app.unknownTerminals.deferred),
    );
    gauge('board_terminal_bindings_version', 'The version of the terminal bindings this process serves (-1: the county file, store not read)', [], (g) =>
      g.set(app.terminals.directory.version),
    );
    gauge('board_alerts', 'Alerts by severity and status', ['severity', 'status'], (g) => {
      g.reset();
      for (const a of Object.values(app.gateway.current()?.collections.alerts ?? {})) g.inc({ severity: a.severity, status: a.status });
    });

    // Digests compared, not the strings: equal lengths whatever is sent (a non-ASCII byte made
    // the byte lengths differ and timingSafeEqual throw), and no length told by timing.
    const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
    const tokenDigest = app.config.metricsToken ? digest(app.config.metricsToken) : null;
    app.get('/metrics', async (request, reply) => {
      const given = bearerToken(request.headers.authorization);
      const byToken = !!tokenDigest && !!given && timingSafeEqual(digest(given), tokenDigest);
      const session = byToken ? null : await app.sessionFor(given);
      if (!byToken && session?.role !== 'admin') return refuse(reply, 'unauthorized', 'METRICS_TOKEN or an admin session');
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics', dependencies: ['realtime', 'jt808', 'auth', 'terminals'] },
);
