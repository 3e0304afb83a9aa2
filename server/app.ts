// Builds the whole app from injected components, so tests can build it with a
// real Redis or the in-process store and never read process.env. The plugins
// register in tiers: outside plugins, the app's services, then the routes.
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import helmet from '@fastify/helmet';
import { contentSecurityPolicy } from './plugins/csp.ts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import authPlugin from './plugins/auth.ts';
import clientPlugin from './plugins/client.ts';
import errorsPlugin from './plugins/errors.ts';
import realtimePlugin from './plugins/realtime.ts';
import jt808Plugin from './plugins/jt808.ts';
import metricsPlugin from './plugins/metrics.ts';
import servicesPlugin, { type Services } from './plugins/services.ts';
import storeWatchPlugin from './plugins/store-watch.ts';
import auditPlugin from './plugins/audit.ts';
import authRoutes from './routes/auth.ts';
import clientConfigRoutes from './routes/client-config.ts';
import countyRoutes from './routes/county.ts';
import dispatchRoutes from './routes/dispatch.ts';
import indicatorRoutes from './routes/indicators.ts';
import kpiRoutes from './routes/kpis.ts';
import alertRoutes from './routes/alerts.ts';
import osmandRoutes from './routes/osmand.ts';
import reportRoutes from './routes/reports.ts';
import sampleBatchRoutes from './routes/sample-batches.ts';
import testingRoundRoutes from './routes/testing-rounds.ts';
import auditRoutes from './routes/audit.ts';
import accountRoutes from './routes/accounts.ts';
import exportRoutes from './routes/exports.ts';
import gridRiskRoutes from './routes/grid-risk.ts';
import healthRoutes from './routes/health.ts';
import importRoutes from './routes/imports.ts';
import gridImportRoutes from './routes/grid-imports.ts';
import gridLayerPlugin from './plugins/grid-layer.ts';
import liveRoutes from './routes/live.ts';

export interface AppOptions extends Services {
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Behind nginx in production: trust its X-Forwarded-For for the client's address.
    trustProxy: options.config.production,
    // A URL that cannot be decoded (`%zz`) gets the board's error shape too.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply).code(400).send({ error: 'bad-request', message: `请求地址有误 (${error.message})` });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Outside plugins.
  await app.register(compress, { global: true, threshold: 1024 });
  // Security headers; the content policy allows our own origin plus the basemap's tile hosts.
  await app.register(helmet, { contentSecurityPolicy: { directives: contentSecurityPolicy(options.config.basemap) }, hsts: options.config.production });
  await app.register(errorsPlugin);
  // Limits are per route (sign-in); nothing is limited unless it says so.
  await app.register(rateLimit, { global: false });
  // The app's services.
  await app.register(servicesPlugin, {
    config: options.config,
    store: options.store,
    county: options.county,
    clock: options.clock,
  });
  await app.register(gridLayerPlugin);
  await app.register(storeWatchPlugin);
  await app.register(authPlugin);
  await app.register(auditPlugin);
  await app.register(realtimePlugin);
  await app.register(jt808Plugin);
  await app.register(metricsPlugin);
  // Routes.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(clientConfigRoutes);
  await app.register(countyRoutes);
  await app.register(liveRoutes);
  await app.register(dispatchRoutes);
  await app.register(indicatorRoutes);
  await app.register(kpiRoutes);
  await app.register(alertRoutes);
  await app.register(osmandRoutes);
  await app.register(reportRoutes);
  await app.register(sampleBatchRoutes);
  await app.register(testingRoundRoutes);
  await app.register(auditRoutes);
  await app.register(accountRoutes);
  await app.register(exportRoutes);
  await app.register(gridRiskRoutes);
  await app.register(importRoutes);
  await app.register(gridImportRoutes);
  await app.register(clientPlugin);
  return app;
}
