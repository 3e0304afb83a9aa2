// Builds the whole app from injected components, so tests build the app production
// runs, with a real Redis or the in-process store, and never read process.env. The
// plugins register in tiers: outside plugins, the app's services, then the routes.
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import helmet from '@fastify/helmet';
import { contentSecurityPolicy } from './plugins/csp.ts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { LiveStore } from './store/store.ts';
import type { LiveGatewayClass } from './realtime/gateway.ts';
import authPlugin from './plugins/auth.ts';
import clientPlugin from './plugins/client.ts';
import errorsPlugin from './plugins/errors.ts';
import httpLimitsPlugin from './plugins/http-limits.ts';
import realtimePlugin from './plugins/realtime.ts';
import jt808Plugin from './plugins/jt808.ts';
import terminalsPlugin from './plugins/terminals.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin, { sendAsMade } from './plugins/openapi.ts';
import servicesPlugin, { type Services } from './plugins/services.ts';
import simulatorPlugin from './plugins/simulator.ts';
import startUpPlugin from './plugins/start-up.ts';
import storePlugin from './plugins/store.ts';
import alertRulesJob from './plugins/jobs/alert-rules.ts';
import dailyReportJob from './plugins/jobs/daily-report.ts';
import historySamplerJob from './plugins/jobs/history-sampler.ts';
import roundPruningJob from './plugins/jobs/round-pruning.ts';
import sampleBatchPruningJob from './plugins/jobs/sample-batch-pruning.ts';
import storeWatchPlugin from './plugins/store-watch.ts';
import auditPlugin from './plugins/audit.ts';
import arrivalsPlugin from './plugins/arrivals.ts';
import authRoutes from './routes/auth.ts';
import basemapRoutes from './routes/basemap.ts';
import clientConfigRoutes from './routes/client-config.ts';
import countyRoutes from './routes/county.ts';
import dispatchRoutes from './routes/dispatch.ts';
import indicatorRoutes from './routes/indicators.ts';
import kpiRoutes from './routes/kpis.ts';
import coverageRoutes from './routes/coverage.ts';
import alertRoutes from './routes/alerts.ts';
import osmandRoutes from './routes/osmand.ts';
import reportRoutes from './routes/reports.ts';
import sampleBatchRoutes from './routes/sample-batches.ts';
import testingRoundRoutes from './routes/testing-rounds.ts';
import auditRoutes from './routes/audit.ts';
import accountRoutes from './routes/accounts.ts';
import terminalRoutes from './routes/terminals.ts';
import exportRoutes from './routes/exports.ts';
import gridRiskRoutes from './routes/grid-risk.ts';
import healthRoutes from './routes/health.ts';
import importRoutes from './routes/imports.ts';
import gridImportRoutes from './routes/grid-imports.ts';
import gridLayerPlugin from './plugins/grid-layer.ts';
import roadImportRoutes from './routes/road-imports.ts';
import roadLayerPlugin from './plugins/road-layer.ts';
import townLayerPlugin from './plugins/town-layer.ts';
import townImportRoutes from './routes/town-imports.ts';
import liveRoutes from './routes/live.ts';
import openapiRoutes from './routes/openapi.ts';
import { refuse } from './http/reply.ts';

export interface AppOptions extends Services {
  logger?: FastifyServerOptions['logger'];
  /** A store the caller opened (and closes); absent, the configuration's, opened and closed by the app. */
  store?: LiveStore;
  /**
   * What tests turn off (production leaves it on): a simulated county's made-up past (a
   * testing round two days under way, 12 hours of key-figure history).
   */
  demoPast?: boolean;
  /** The periodic jobs (plugins/jobs/): on unless a test turns them off to see only what it writes. */
  jobs?: boolean;
  /** The live fan-out; bench:live's baseline brings a naive one (scripts/bench-live/naive-gateway.ts). */
  liveGateway?: LiveGatewayClass;
}

/**
 * A hop count as a function (Fastify 5 refuses bare counts, since a client that reaches the port
 * directly can then write the address): safe only where the proxy is the one way in; a list of
 * proxy addresses is checked hop by hop.
 */
const trustProxy = (trust: Config['trustProxy']) => (typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Plugins and the start-up work on onReady (demo accounts' scrypt, seeding, the simulator's
    // past) may take longer than Fastify's 10 s on a loaded machine: one start beside other test
    // suites on two cores was cut off after creating the demo accounts, and the process exited 1.
    pluginTimeout: 60_000,
    bodyLimit: 1024 * 1024,
    // The client's address is the socket's unless TRUST_PROXY names the proxies (or hops) in
    // front: X-Forwarded-For is written by the client, only the entries our proxies add count.
    trustProxy: trustProxy(options.config.trustProxy),
    // Slow clients (see plugins/http-limits.ts): the request timeout here is the outer bound,
    // the longest any route allows; each route's own is the hook's.
    requestTimeout: Math.max(options.config.http.requestTimeoutMs, options.config.http.uploadTimeoutMs),
    keepAliveTimeout: options.config.http.keepAliveTimeoutMs,
    connectionTimeout: options.config.http.idleTimeoutMs,
    http: {
      headersTimeout: options.config.http.headersTimeoutMs,
      // Node looks for expired requests this often (30 s by default, longer than the limits themselves).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(options.config.http.headersTimeoutMs / 4))),
    },
    // A URL that cannot be decoded (`%zz`) gets the board's error shape too.
    frameworkErrors: (error, _request, reply) => {
      void refuse(reply as unknown as FastifyReply, 'bad-request', `请求地址有误 (${error.message})`);
    },
  });
  app.server.maxConnections = options.config.http.maxConnections;
  app.server.headersTimeout = options.config.http.headersTimeoutMs;
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas describe (the OpenAPI page) and type the answers; they never filter them (plugins/openapi.ts).
  app.setSerializerCompiler(sendAsMade);

  // Outside plugins.
  await app.register(compress, { global: true, threshold: 1024 });
  // Security headers; the content policy allows our own origin plus the basemap's tile hosts.
  await app.register(helmet, { contentSecurityPolicy: { directives: contentSecurityPolicy(options.config.basemap, options.config) }, hsts: options.config.production });
  await app.register(errorsPlugin);
  // Limits are per route (sign-in); nothing is limited unless it says so.
  await app.register(rateLimit, { global: false });
  // The app's services, the store first (and so closed last).
  await app.register(storePlugin, { config: options.config, countyCode: options.county.info.code, store: options.store });
  await app.register(servicesPlugin, {
    config: options.config,
    county: options.county,
    clock: options.clock,
  });
  await app.register(httpLimitsPlugin);
  await app.register(gridLayerPlugin);
  await app.register(roadLayerPlugin);
  await app.register(townLayerPlugin);
  // Once ready, before listening: demo accounts, the sample county, the simulator and its past.
  await app.register(simulatorPlugin, { demoRound: options.demoPast ?? true });
  await app.register(startUpPlugin, { demoPast: options.demoPast ?? true });
  await app.register(storeWatchPlugin);
  await app.register(authPlugin);
  await app.register(auditPlugin);
  await app.register(arrivalsPlugin);
  await app.register(realtimePlugin, { gateway: options.liveGateway });
  await app.register(terminalsPlugin);
  await app.register(jt808Plugin);
  await app.register(metricsPlugin);
  // The periodic jobs, each started once the start-up work is done and stopped on close.
  if (options.jobs ?? true) {
    for (const job of [alertRulesJob, historySamplerJob, dailyReportJob, sampleBatchPruningJob, roundPruningJob]) await app.register(job);
  }
  // Routes, each described as it is registered.
  await app.register(openapiPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(clientConfigRoutes);
  await app.register(basemapRoutes);
  await app.register(countyRoutes);
  await app.register(liveRoutes);
  await app.register(dispatchRoutes);
  await app.register(indicatorRoutes);
  await app.register(kpiRoutes);
  await app.register(coverageRoutes);
  await app.register(alertRoutes);
  await app.register(osmandRoutes);
  await app.register(reportRoutes);
  await app.register(sampleBatchRoutes);
  await app.register(testingRoundRoutes);
  await app.register(auditRoutes);
  await app.register(accountRoutes);
  await app.register(terminalRoutes);
  await app.register(exportRoutes);
  await app.register(gridRiskRoutes);
  await app.register(importRoutes);
  await app.register(gridImportRoutes);
  await app.register(roadImportRoutes);
  await app.register(townImportRoutes);
  await app.register(openapiRoutes);
  await app.register(clientPlugin);
  return app;
}
