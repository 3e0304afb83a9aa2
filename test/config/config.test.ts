import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DEMO_PASSWORD, hashTagOf, loadConfig, redisPrefixFor } from '../../server/config.ts';
import { DEFAULT_ROAD_SPEEDS_KMH } from '../../server/routing/road-speeds.ts';
import { ARRIVAL_DEFAULTS } from '../../server/domain/arrival-fence.ts';
import { GRID_EDGE_MARGIN_METERS } from '../../server/geo/sticky-grid.ts';

describe('configuration from the environment', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, production: false, simulator: true, demoPassword: DEFAULT_DEMO_PASSWORD });
    expect(config.redisUrl).toBeUndefined();
  });

  it('production has no demo password and no simulator unless told', () => {
    const config = loadConfig({ NODE_ENV: 'production' });
    expect(config.demoPassword).toBeUndefined();
    expect(config.simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR: 'on', DEMO_PASSWORD: 'long-enough' })).toMatchObject({
      simulator: true,
      demoPassword: 'long-enough',
    });
  });

  it('refuses the published demo password in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_PASSWORD: DEFAULT_DEMO_PASSWORD })).toThrow(/DEMO_PASSWORD/);
    expect(loadConfig({ DEMO_PASSWORD: DEFAULT_DEMO_PASSWORD }).demoPassword).toBe(DEFAULT_DEMO_PASSWORD);
  });

  it('names each bad variable', () => {
    const bad = () => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', SIMULATOR: 'maybe' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('REDIS_URL');
      expect(message).toContain('SIMULATOR');
    }
  });

  it('takes the queue thresholds, by wait and optionally by people, and refuses them upside down', () => {
    expect(loadConfig({}).queueThresholds).toEqual({ busyMinutes: 25, congestedMinutes: 50 });
    expect(loadConfig({ QUEUE_BUSY_MINUTES: '20', QUEUE_CONGESTED_MINUTES: '40', QUEUE_BUSY_PEOPLE: '80', QUEUE_CONGESTED_PEOPLE: '150' }).queueThresholds).toEqual({
      busyMinutes: 20,
      congestedMinutes: 40,
      busyPeople: 80,
      congestedPeople: 150,
    });
    expect(() => loadConfig({ QUEUE_BUSY_MINUTES: '50', QUEUE_CONGESTED_MINUTES: '50' })).toThrow(/QUEUE_CONGESTED_MINUTES/);
    expect(() => loadConfig({ QUEUE_BUSY_PEOPLE: '100', QUEUE_CONGESTED_PEOPLE: '90' })).toThrow(/QUEUE_CONGESTED_PEOPLE/);
  });

  it('takes the arrival fence (defaults from the domain) and refuses a leave radius not past the arrival radius', () => {
    expect(loadConfig({}).arrival).toEqual({ fence: ARRIVAL_DEFAULTS, autoRecord: false });
    expect(loadConfig({}).gridEdgeMarginMeters).toBe(GRID_EDGE_MARGIN_METERS);
    expect(
      loadConfig({ ARRIVAL_RADIUS_METERS: '80', ARRIVAL_LEAVE_RADIUS_METERS: '300', ARRIVAL_DWELL_SECONDS: '45', ARRIVAL_AUTO_RECORD: 'on', GRID_EDGE_MARGIN_METERS: '0' }),
    ).toMatchObject({
      arrival: { fence: { enterMeters: 80, leaveMeters: 300, dwellMs: 45_000 }, autoRecord: true },
      gridEdgeMarginMeters: 0,
    });
    expect(() => loadConfig({ ARRIVAL_RADIUS_METERS: '200', ARRIVAL_LEAVE_RADIUS_METERS: '200' })).toThrow(/ARRIVAL_LEAVE_RADIUS_METERS/);
    expect(() => loadConfig({ ARRIVAL_RADIUS_METERS: '5' })).toThrow(/ARRIVAL_RADIUS_METERS/);
    expect(() => loadConfig({ ARRIVAL_DWELL_SECONDS: '-1' })).toThrow(/ARRIVAL_DWELL_SECONDS/);
    expect(() => loadConfig({ ARRIVAL_AUTO_RECORD: 'sometimes' })).toThrow(/ARRIVAL_AUTO_RECORD/);
  });

  it('takes the coverage bands ascending, and the move-up target among them (default the middle one)', () => {
    expect(loadConfig({}).coverage).toEqual({ thresholdsMin: [15, 30, 60], targetMin: 30, toleranceMeters: 300 });
    expect(loadConfig({ COVERAGE_THRESHOLDS_MIN: ' 10, 20 ', COVERAGE_TOLERANCE_METERS: '0' }).coverage).toEqual({ thresholdsMin: [10, 20], targetMin: 10, toleranceMeters: 0 });
    expect(loadConfig({ COVERAGE_THRESHOLDS_MIN: '8,15,30,60', COVERAGE_TARGET_MIN: '60' }).coverage.targetMin).toBe(60);
    for (const bad of ['30,15', '15,15', '0,30', '15,x', '', '15,30,', '15.5', '300'])
      expect(() => loadConfig({ COVERAGE_THRESHOLDS_MIN: bad }), bad).toThrow(/COVERAGE_THRESHOLDS_MIN/);
    expect(() => loadConfig({ COVERAGE_TARGET_MIN: '20' })).toThrow(/COVERAGE_TARGET_MIN/);
    expect(() => loadConfig({ COVERAGE_TOLERANCE_METERS: '-1' })).toThrow(/COVERAGE_TOLERANCE_METERS/);
  });

  it('takes the road speed table over the defaults, and the road import margin', () => {
    expect(loadConfig({}).roads).toEqual({ speeds: DEFAULT_ROAD_SPEEDS_KMH, marginKm: 20 });
    const roads = loadConfig({ ROAD_SPEEDS_KMH: 'residential=30,track=10', ROAD_IMPORT_MARGIN_KM: '150' }).roads;
    expect(roads.speeds).toMatchObject({ residential: 30, track: 10, trunk: 85 });
    expect(roads.marginKm).toBe(150);
    for (const bad of ['residential', 'residential=0', 'residential=300', 'Residential=30', 'a=1,'])
      expect(() => loadConfig({ ROAD_SPEEDS_KMH: bad }), bad).toThrow(/ROAD_SPEEDS_KMH/);
    expect(() => loadConfig({ ROAD_IMPORT_MARGIN_KM: '-1' })).toThrow(/ROAD_IMPORT_MARGIN_KM/);
  });

  it('parses numbers and switches', () => {
    const config = loadConfig({ PORT: '8080', SIMULATOR: 'off', REDIS_URL: 'redis://127.0.0.1:6380/2', SESSION_TTL_MINUTES: '30' });
    expect(config).toMatchObject({ port: 8080, simulator: false, redisUrl: 'redis://127.0.0.1:6380/2', sessionTtlMs: 1_800_000 });
  });

  it('chooses the basemap: offline by default, presets and intranet styles, each with what it needs', () => {
    // Offline: the county's own basemap.pmtiles when its data has one (the sample has), else blank.
    expect(loadConfig({})).toMatchObject({ basemap: { kind: 'pmtiles', url: '/api/basemap.pmtiles' }, pmtilesFile: join('data', 'guazhou', 'basemap.pmtiles') });
    const bare = mkdtempSync(join(tmpdir(), 'county-'));
    try {
      expect(loadConfig({ DATA_DIR: bare })).toMatchObject({ basemap: { kind: 'offline' }, pmtilesFile: null });
      expect(() => loadConfig({ DATA_DIR: bare, MAP_BASEMAP: 'pmtiles' })).toThrow(/MAP_PMTILES: no PMTiles file at .*basemap\.pmtiles/);
      expect(loadConfig({ DATA_DIR: bare, MAP_PMTILES: 'data/guazhou/basemap.pmtiles' })).toMatchObject({
        basemap: { kind: 'pmtiles' },
        pmtilesFile: 'data/guazhou/basemap.pmtiles',
      });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
    expect(loadConfig({ MAP_BASEMAP: 'blank' })).toMatchObject({ basemap: { kind: 'offline' }, pmtilesFile: null });
    expect(loadConfig({ MAP_BASEMAP: 'pmtiles', MAP_PMTILES: 'data/guazhou/basemap.pmtiles' }).pmtilesFile).toBe('data/guazhou/basemap.pmtiles');
    expect(() => loadConfig({ MAP_BASEMAP: 'pmtiles', MAP_PMTILES: 'data/guazhou' })).toThrow(/MAP_PMTILES: no PMTiles file at data\/guazhou/);
    expect(() => loadConfig({ MAP_BASEMAP: 'amap', MAP_PMTILES: 'data/guazhou/basemap.pmtiles' })).toThrow(/MAP_PMTILES: only used with/);
    // An intranet XYZ or WMTS server, raster or vector, in either system.
    expect(loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILES_URL: 'http://10.0.0.5/tiles/{z}/{x}/{y}.png' }).basemap).toEqual({
      kind: 'xyz',
      tiles: ['http://10.0.0.5/tiles/{z}/{x}/{y}.png'],
      type: 'raster',
      crs: 'wgs84',
      maxzoom: 18,
    });
    expect(
      loadConfig({
        MAP_BASEMAP: 'xyz',
        MAP_TILES_URL: 'https://gis.intranet/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}',
        MAP_TILES_TYPE: 'vector',
        MAP_STYLE_CRS: 'gcj02',
        MAP_TILES_MAXZOOM: '14',
      }).basemap,
    ).toEqual({
      kind: 'xyz',
      tiles: ['https://gis.intranet/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}'],
      type: 'vector',
      crs: 'gcj02',
      maxzoom: 14,
    });
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz' })).toThrow(/MAP_TILES_URL: MAP_BASEMAP=xyz needs/);
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILES_URL: 'http://10.0.0.5/tiles/{z}/{x}.png' })).toThrow(/MAP_TILES_URL/);
    expect(() => loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILES_URL: 'file:///etc/{z}/{x}/{y}' })).toThrow(/MAP_TILES_URL/);
    expect(loadConfig({ MAP_BASEMAP: 'amap' }).basemap).toEqual({ kind: 'amap' });
    expect(loadConfig({ MAP_BASEMAP: 'tianditu', TIANDITU_KEY: 'abc123' }).basemap).toEqual({ kind: 'tianditu', key: 'abc123' });
    expect(loadConfig({ MAP_BASEMAP: 'style', MAP_STYLE_URL: 'http://tiles.intranet/style.json', MAP_STYLE_CRS: 'gcj02' }).basemap).toEqual({
      kind: 'style',
      url: 'http://tiles.intranet/style.json',
      crs: 'gcj02',
    });
    expect(() => loadConfig({ MAP_BASEMAP: 'tianditu' })).toThrow(/TIANDITU_KEY/);
    expect(() => loadConfig({ MAP_BASEMAP: 'style' })).toThrow(/MAP_STYLE_URL/);
    expect(() => loadConfig({ MAP_BASEMAP: 'google' })).toThrow(/MAP_BASEMAP/);
  });

  it('trusts no proxy unless told: a hop count or proxy addresses, never "true"', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'nginx', '10.0.0.0/33', '300.1.1.1', '1.2.3.4/8/9', '127.0.0.1,,']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  it('bounds every connection: request, upload, headers, keep-alive and idle timeouts, a connection cap', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 30_000,
      uploadTimeoutMs: 300_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 60_000,
      maxConnections: 10_000,
    });
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_MAX_CONNECTIONS: '50' }).http).toMatchObject({ requestTimeoutMs: 5000, maxConnections: 50 });
    // The idle timeout outlasts socket.io's long-poll (25 s).
    expect(() => loadConfig({ HTTP_IDLE_TIMEOUT_MS: '10000' })).toThrow(/HTTP_IDLE_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });

  it('asks browsers to upgrade to https only when TLS says the board is served over it', () => {
    expect(loadConfig({}).tls).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).tls).toBe(false);
    expect(loadConfig({ TLS: '1' }).tls).toBe(true);
  });
  it('takes a Sentinel-managed primary instead of REDIS_URL, with its name and passwords, and refuses half of one', () => {
    expect(loadConfig({}).redisSentinel).toBeNull();
    const env = { REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b.local:26380,[::1]:26381', REDIS_MASTER_NAME: 'board' };
    expect(loadConfig(env).redisSentinel).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b.local', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'board',
      sentinelPassword: undefined,
      password: undefined,
    });
    expect(loadConfig({ ...env, REDIS_SENTINEL_PASSWORD: 's3cret', REDIS_PASSWORD: 'p4ss' }).redisSentinel).toMatchObject({ sentinelPassword: 's3cret', password: 'p4ss' });
    for (const bad of ['10.0.0.1', '10.0.0.1:0', '10.0.0.1:65536', 'a:1,,b:2', 'host name:26379', '[zz]:1', Array.from({ length: 17 }, (_, i) => `h${i}:1`).join(',')]) {
      expect(() => loadConfig({ ...env, REDIS_SENTINELS: bad }), bad).toThrow(/REDIS_SENTINELS/);
    }
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379' })).toThrow(/REDIS_MASTER_NAME/);
    expect(() => loadConfig({ ...env, REDIS_MASTER_NAME: 'my master' })).toThrow(/REDIS_MASTER_NAME/);
    expect(() => loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_SENTINELS/);
    for (const alone of ['REDIS_MASTER_NAME', 'REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD']) {
      expect(() => loadConfig({ [alone]: 'board' }), alone).toThrow(new RegExp(alone));
    }
  });

  it("takes a Redis Cluster, keys each board under its county's hash tag, and refuses what a cluster cannot do", () => {
    expect(loadConfig({}).redisCluster).toBeNull();
    const env = { REDIS_CLUSTER: '10.0.0.1:6379, 10.0.0.2:6379,10.0.0.3:6380' };
    const config = loadConfig(env);
    expect(config.redisCluster).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 6379 },
        { host: '10.0.0.2', port: 6379 },
        { host: '10.0.0.3', port: 6380 },
      ],
      password: undefined,
    });
    expect(loadConfig({ ...env, REDIS_PASSWORD: 'p4ss' }).redisCluster?.password).toBe('p4ss');
    // The prefix: the county's code as hash tag, unless REDIS_PREFIX (with a tag of its own) says otherwise.
    expect(redisPrefixFor(config, '510722')).toBe('{510722}:');
    expect(redisPrefixFor(loadConfig({ ...env, REDIS_PREFIX: 'board:{wuchuan}:' }), '440883')).toBe('board:{wuchuan}:');
    expect(() => redisPrefixFor(config, '')).toThrow(/REDIS_PREFIX/);
    expect(redisPrefixFor(loadConfig({}), '510722')).toBe('epi:');
    expect(redisPrefixFor(loadConfig({ REDIS_PREFIX: 'x:' }), '510722')).toBe('x:');
    expect(() => loadConfig({ ...env, REDIS_PREFIX: 'epi:' })).toThrow(/REDIS_PREFIX: with REDIS_CLUSTER the prefix must carry a hash tag/);
    expect(() => loadConfig({ ...env, REDIS_WAIT_REPLICAS: '1' })).toThrow(/REDIS_WAIT_REPLICAS: not supported together with REDIS_CLUSTER/);
    expect(() => loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_CLUSTER/);
    expect(() => loadConfig({ ...env, REDIS_SENTINELS: '10.0.0.1:26379', REDIS_MASTER_NAME: 'board' })).toThrow(/REDIS_CLUSTER/);
    expect(() => loadConfig({ ...env, REDIS_MASTER_NAME: 'board' })).toThrow(/REDIS_MASTER_NAME/);
    expect(() => loadConfig({ REDIS_CLUSTER: '10.0.0.1' })).toThrow(/REDIS_CLUSTER/);
    expect([hashTagOf('{620922}:'), hashTagOf('a{b}c{d}'), hashTagOf('{}:x'), hashTagOf('epi:'), hashTagOf('}{')]).toEqual(['620922', 'b', null, null, null]);
  });

  it('waits for replicas only when told, and only with a Redis to wait on', () => {
    expect(loadConfig({}).redisWait).toEqual({ replicas: 0, timeoutMs: 500 });
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '250' }).redisWait).toEqual({ replicas: 1, timeoutMs: 250 });
    expect(() => loadConfig({ REDIS_WAIT_REPLICAS: '1' })).toThrow(/REDIS_WAIT_REPLICAS/);
    expect(() => loadConfig({ REDIS_URL: 'redis://x', REDIS_WAIT_REPLICAS: '17' })).toThrow(/REDIS_WAIT_REPLICAS/);
    expect(() => loadConfig({ REDIS_URL: 'redis://x', REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '5' })).toThrow(/REDIS_WAIT_TIMEOUT_MS/);
  });
});
