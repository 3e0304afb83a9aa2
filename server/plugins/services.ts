// The app's injected components (config, county, clock) and the services built over
// them and the store (live updates, dispatch), decorated on the instance for every
// later plugin.
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { County } from '../county/county.ts';
import { LiveUpdates } from '../services/live-updates.ts';
import { Dispatch } from '../services/dispatch.ts';
import { FollowingRouter } from '../routing/following-router.ts';
import { OsrmRouter } from '../routing/osrm-router.ts';
import { History } from '../services/history.ts';
import { Alerts } from '../services/alerts.ts';
import { Reports } from '../services/reports.ts';
import { SampleBatches } from '../services/sample-batches.ts';
import { TestingRounds } from '../services/testing-rounds.ts';
import { Imports } from '../services/imports.ts';
import { GridImports } from '../services/grid-imports.ts';
import { RoadImports } from '../services/road-imports.ts';
import { TownImports } from '../services/town-imports.ts';
import { fileTownLayer, storedOrFileTownLayer, TownLayers, type TownLayer } from '../county/town-layer.ts';
import { buildRoadLayer, RoadLayers, storedOrFileRoadLayer, type RoadLayer } from '../county/road-layer.ts';
import { buildGridLayer, GridLayers, storedOrFileLayer, type GridLayer } from '../county/grid-layer.ts';
import { Coverage } from '../services/coverage.ts';
import { standbyPoints } from '../county/standby-points.ts';
import { GraphReach } from '../routing/reach.ts';
import { OsrmReach } from '../routing/osrm-reach.ts';
import type { Locator } from '../geo/locator.ts';
import type { GridProps, LngLat } from '../schema/index.ts';

export interface Services {
  config: Config;
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
    roadImports: RoadImports;
    townImports: TownImports;
    /** The towns and villages named and found now: replaced in one step when a town import is committed. */
    townLayers: TownLayers;
    /** The roads routed on now: replaced in one step when a road import is committed. */
    roadLayers: RoadLayers;
    coverage: Coverage;
    /** The county's time zone (IANA): its days, reports and "today" figures. */
    timeZone: string;
    /** The grids served now: replaced in one step when a grid import is committed. */
    gridLayers: GridLayers;
    /** The current grids' locator answering with the records' town and village names: whatever shows or compares a grid's town name reads it. */
    namedGrids: Locator<GridProps>;
  }
}

export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('county', services.county);
    app.decorate('clock', services.clock);
    const { config, county } = services;
    // The county's day: REPORT_TIME_ZONE where it is set, else the county's own zone.
    const timeZone = config.report.timeZone ?? county.info.timeZone;
    app.decorate('timeZone', timeZone);
    // A committed grid import wins over the county's grids file, after any restart.
    let initial: GridLayer;
    try {
      initial = await storedOrFileLayer(app.store, county);
    } catch (err) {
      // Unreachable (read again within 30 s, see plugins/grid-layer.ts) or unreadable (the error says which set).
      app.log.error({ err }, `could not read the committed grid set; serving ${config.dataDir}/grids.geojson meanwhile`);
      initial = buildGridLayer(county.grids, county.gridsJson);
    }
    const layers = new GridLayers(initial);
    app.decorate('gridLayers', layers);
    // A committed town import wins over the county's towns.json, after any restart.
    let initialTowns: TownLayer;
    try {
      initialTowns = await storedOrFileTownLayer(app.store, county);
    } catch (err) {
      app.log.error({ err }, `could not read the committed town set; serving ${config.dataDir}/towns.json meanwhile`);
      initialTowns = fileTownLayer(county.towns);
    }
    const townLayers = new TownLayers(initialTowns);
    app.decorate('townLayers', townLayers);
    // The grids as the services read them: with the town and village names of the records.
    const grids = () => townLayers.props(layers.current);
    const namedGrids = townLayers.locator(layers);
    app.decorate('namedGrids', namedGrids);
    app.decorate('updates', new LiveUpdates(app.store, layers.locator, services.clock, timeZone, config.gridEdgeMarginMeters));
    // A committed road import wins over the county's roads file, after any restart.
    let initialRoads: RoadLayer;
    try {
      initialRoads = await storedOrFileRoadLayer(app.store, county, config.roads.speeds);
    } catch (err) {
      app.log.error({ err }, `could not read the committed road set; routing on ${config.dataDir}/roads.geojson meanwhile`);
      initialRoads = buildRoadLayer(county.roads, undefined, config.roads.speeds);
    }
    const roadLayers = new RoadLayers(initialRoads);
    app.decorate('roadLayers', roadLayers);
    const router = config.router.kind === 'osrm' ? new OsrmRouter(config.router.url) : new FollowingRouter(() => roadLayers.current.router);
    app.decorate(
      'dispatch',
      new Dispatch(app.store, namedGrids, router, new Set(county.decontaminationPoints.map((d) => d.id)), (gridId) => layers.current.gridPoint(gridId), services.clock, {
        fixStaleMs: config.fixStaleMs,
        minDisinfectionMs: config.minDisinfectionMs,
        escalationThreshold: config.escalationThreshold,
        timeZone,
      }),
    );
    app.decorate(
      'history',
      new History(app.store, grids, services.clock, {
        facts: () => townLayers.facts(layers.current),
        intervalMs: config.historyIntervalMs,
        retentionMs: config.historyRetentionMs,
        escalationThreshold: config.escalationThreshold,
        queue: config.queueThresholds,
      }),
    );
    app.decorate(
      'alerts',
      new Alerts(app.store, services.clock, {
        escalation: config.escalationThreshold,
        fixStaleMs: config.fixStaleMs,
        roundBehindMargin: config.rounds.behindMargin,
        queue: config.queueThresholds,
      }),
    );
    app.decorate(
      'reports',
      new Reports(app.store, grids, services.clock, {
        facts: () => townLayers.facts(layers.current),
        ...config.report,
        timeZone,
        countyName: county.info.name,
        escalationThreshold: config.escalationThreshold,
        roundBehindMargin: config.rounds.behindMargin,
        queue: config.queueThresholds,
        townAt: ([lng, lat]) => namedGrids.locate(lng, lat)?.townName ?? null,
        onMalformed: (key) => app.log.warn({ key }, 'reports: dropped a kept document that does not read'),
      }),
    );
    app.decorate('sampleBatches', new SampleBatches(app.store, services.clock));
    app.decorate('testingRounds', new TestingRounds(app.store, grids, services.clock, { defaultDeadlineDays: config.rounds.defaultDeadlineDays }));
    app.decorate('imports', new Imports(app.store, layers.locator, services.clock));
    app.decorate(
      'gridImports',
      new GridImports(app.store, layers, services.clock, {
        outline: county.outline.features[0]!,
        // The towns named now (a town import's records once committed), read at each upload.
        get towns() {
          return townLayers.current.towns;
        },
      }),
    );
    app.decorate('townImports', new TownImports(app.store, townLayers, layers, services.clock, { outline: county.outline.features[0]!, countyCode: county.info.code }));
    app.decorate(
      'roadImports',
      new RoadImports(app.store, roadLayers, services.clock, { outline: county.outline.features[0]!, speeds: config.roads.speeds, marginKm: config.roads.marginKm }),
    );
    // Coverage searches from a unit to every grid, up to twice the worst band (further is "beyond").
    const reachBound = 2 * Math.max(...config.coverage.thresholdsMin) * 60;
    let reach: { version: string; reach: GraphReach | OsrmReach } | null = null;
    const coverageGrids = () => {
      const layer = layers.current;
      // New grids or new roads: every unit's row is searched again.
      const version = config.router.kind === 'osrm' ? layer.version : `${layer.version}.${roadLayers.current.version}`;
      if (reach?.version !== version) {
        const targets = layer.props.map((p) => layer.gridPoint(p.id) ?? ([0, 0] as LngLat));
        reach = {
          version,
          reach:
            config.router.kind === 'osrm' ? new OsrmReach(config.router.url, targets, { maxSeconds: reachBound }) : new GraphReach(roadLayers.current.network, targets, reachBound),
        };
      }
      return { version, grids: townLayers.props(layer), reach: reach.reach };
    };
    app.decorate(
      'coverage',
      new Coverage(
        app.store,
        coverageGrids,
        standbyPoints(county.seed.ambulances, config.dataDir),
        services.clock,
        { ...config.coverage, fixStaleMs: config.fixStaleMs },
        router.name,
        (message, err) => app.log.error({ err }, message),
      ),
    );
    app.alerts.addSource(() => app.coverage.alertCandidates());
    // Coverage follows the store's changes once the app is ready (and reads the store when asked before).
    app.addHook('onReady', async () => app.coverage.start(5_000));
    app.addHook('onClose', async () => app.coverage.stop());
  },
  { name: 'services', dependencies: ['store'] },
);
