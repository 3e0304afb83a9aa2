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
import { History } from '../services/history.ts';
import { Alerts } from '../services/alerts.ts';
import { Reports } from '../services/reports.ts';
import { SampleBatches } from '../services/sample-batches.ts';
import { TestingRounds } from '../services/testing-rounds.ts';
import { Imports } from '../services/imports.ts';
import { GridImports } from '../services/grid-imports.ts';
import { buildGridLayer, GridLayers, storedOrFileLayer, type GridLayer } from '../county/grid-layer.ts';
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
    gridImports: GridImports;
    /** The grids served now: replaced in one step when a grid import is committed. */
    gridLayers: GridLayers;
  }
}

export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('store', services.store);
    app.decorate('county', services.county);
    app.decorate('clock', services.clock);
    const { config, county } = services;
    // A committed grid import wins over the county's grids file, after any restart.
    let initial: GridLayer;
    try {
      initial = await storedOrFileLayer(services.store, county);
    } catch (err) {
      // Unreachable (read again within 30 s, see plugins/grid-layer.ts) or unreadable (the error says which set).
      app.log.error({ err }, `could not read the committed grid set; serving ${config.dataDir}/grids.geojson meanwhile`);
      initial = buildGridLayer(county.grids, county.gridsJson);
    }
    const layers = new GridLayers(initial);
    app.decorate('gridLayers', layers);
    const grids = () => layers.current.props;
    app.decorate('updates', new LiveUpdates(services.store, layers.locator, services.clock, config.report.timeZone));
    const router = config.router.kind === 'osrm' ? new OsrmRouter(config.router.url) : new GraphRouter(county.roads);
    app.decorate(
      'dispatch',
      new Dispatch(
        services.store,
        layers.locator,
        router,
        new Set(county.decontaminationPoints.map((d) => d.id)),
        (gridId) => layers.current.gridPoint(gridId),
        services.clock,
        { fixStaleMs: config.fixStaleMs, minDisinfectionMs: config.minDisinfectionMs, escalationThreshold: config.escalationThreshold },
      ),
    );
    app.decorate(
      'history',
      new History(services.store, grids, services.clock, {
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
        grids,
        services.clock,
        {
          ...config.report,
          countyName: county.info.name,
          escalationThreshold: config.escalationThreshold,
          roundBehindMargin: config.rounds.behindMargin,
          queue: config.queueThresholds,
          townAt: ([lng, lat]) => layers.locator.locate(lng, lat)?.townName ?? null,
        },
        (message, err) => app.log.error({ err }, message),
      ),
    );
    app.decorate('sampleBatches', new SampleBatches(services.store, services.clock));
    app.decorate(
      'testingRounds',
      new TestingRounds(services.store, grids, services.clock, { defaultDeadlineDays: config.rounds.defaultDeadlineDays }),
    );
    app.decorate('imports', new Imports(services.store, layers.locator, services.clock));
    app.decorate('gridImports', new GridImports(services.store, layers, services.clock, { outline: county.outline.features[0]!, towns: county.towns }));
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
