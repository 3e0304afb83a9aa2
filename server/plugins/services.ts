// The app's injected components (config, store, county, clock) and the services
// built over them (live updates, dispatch), decorated on the instance for every
// later plugin.
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { County } from '../county/county.ts';
import { LiveUpdates } from '../services/live-updates.ts';
import { Dispatch } from '../services/dispatch.ts';
import { GraphRouter } from '../routing/graph-router.ts';
import { OsrmRouter } from '../routing/osrm-router.ts';
import { gridPoints } from '../county/grid-points.ts';
import { History } from '../services/history.ts';
import { Alerts } from '../services/alerts.ts';
import { Reports } from '../services/reports.ts';
import { SampleBatches } from '../services/sample-batches.ts';
import { TestingRounds } from '../services/testing-rounds.ts';
import { Imports } from '../services/imports.ts';
import type { LiveStore } from '../store/store.ts';

export interface Services {
  config: Config;
  store: LiveStore;
  county: County;
  clock: () => number;
}

declare module 'fastify' {
  interface FastifyInstance extends Services {
    updates: LiveUpdates;
    dispatch: Dispatch;
    history: History;
    alerts: Alerts;
    reports: Reports;
    sampleBatches: SampleBatches;
    testingRounds: TestingRounds;
    imports: Imports;
  }
}

export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('store', services.store);
    app.decorate('county', services.county);
    app.decorate('clock', services.clock);
    app.decorate('updates', new LiveUpdates(services.store, services.county.locator, services.clock));
    const { config, county } = services;
    const router = config.router.kind === 'osrm' ? new OsrmRouter(config.router.url) : new GraphRouter(county.roads);
    app.decorate(
      'dispatch',
      new Dispatch(
        services.store,
        county.locator,
        router,
        new Set(county.decontaminationPoints.map((d) => d.id)),
        gridPoints(county.grids),
        services.clock,
        { fixStaleMs: config.fixStaleMs, minDisinfectionMs: config.minDisinfectionMs, escalationThreshold: config.escalationThreshold },
      ),
    );
    app.decorate(
      'history',
      new History(services.store, county.grids.features.map((f) => f.properties), services.clock, {
        intervalMs: config.historyIntervalMs,
        retentionMs: config.historyRetentionMs,
        escalationThreshold: config.escalationThreshold,
        queue: config.queueThresholds,
      }),
    );
    app.decorate('alerts', new Alerts(services.store, services.clock, { escalation: config.escalationThreshold, fixStaleMs: config.fixStaleMs, roundBehindMargin: config.rounds.behindMargin, queue: config.queueThresholds }));
    app.decorate(
      'reports',
      new Reports(
        services.store,
        county.grids.features.map((f) => f.properties),
        services.clock,
        {
          ...config.report,
          countyName: String(county.outline.features[0]?.properties?.name ?? '本县'),
          escalationThreshold: config.escalationThreshold,
          roundBehindMargin: config.rounds.behindMargin,
          queue: config.queueThresholds,
        },
        (message, err) => app.log.error({ err }, message),
      ),
    );
    app.decorate('sampleBatches', new SampleBatches(services.store, services.clock));
    app.decorate(
      'testingRounds',
      new TestingRounds(services.store, county.grids.features.map((f) => f.properties), services.clock, { defaultDeadlineDays: config.rounds.defaultDeadlineDays }),
    );
    app.decorate('imports', new Imports(services.store, county.locator, services.clock));
    app.addHook('onClose', async () => {
      app.sampleBatches.stop();
      app.testingRounds.stop();
      app.history.stop();
      app.alerts.stop();
      app.reports.stop();
    });
  },
  { name: 'services' },
);
