// Configuration, read once from the environment and validated: a bad value
// stops start-up with a message naming the variable.
//
// 300-line rule: ConfigSchema is the one table of every setting, each with its bounds and
// default, read top to bottom beside README's settings; split by topic, an operator would look
// for a variable in several files. Readers of settings whose text needs more than zod live in
// config/ (values.ts: proxies, host:port lists, hash tags; basemap.ts: the basemap).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { basemapOf, isFile, pmtilesPathOf, tileTemplateOf } from './config/basemap.ts';
import { hashTagOf, hostPortsOf, trustProxyOf } from './config/values.ts';
import { ARRIVAL_DEFAULTS } from './domain/arrival-fence.ts';
import { GRID_EDGE_MARGIN_METERS } from './geo/sticky-grid.ts';
// The rules' own defaults: written once, in the domain.
import { DEFAULT_FIX_STALE_MS } from './domain/fix-age.ts';
import { DEFAULT_ESCALATION_THRESHOLD } from './domain/hospital-tiers.ts';
import { DEFAULT_QUEUE_THRESHOLDS } from './domain/queue-level.ts';
import { DEFAULT_BEHIND_MARGIN, DEFAULT_DEADLINE_DAYS } from './domain/testing-round.ts';
import { DEFAULT_ROAD_SPEEDS_KMH, speedTableOf } from './routing/road-speeds.ts';

const Bool = z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']).transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

/** A comma-separated host:port list (REDIS_SENTINELS, REDIS_CLUSTER); empty is absent. */
const hostPortList = (message: string) =>
  z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const parsed = hostPortsOf(v);
      if (!parsed) ctx.addIssue({ code: 'custom', message });
      return parsed ?? undefined;
    });

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Every key's prefix; absent: epi:, or with REDIS_CLUSTER the board's hash tag {<county code>}: (see redisPrefixFor). */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:.{}-]*$/)
      .optional(),
    /** A Sentinel-managed primary instead of REDIS_URL: the Sentinels' addresses, host:port,… */
    REDIS_SENTINELS: hostPortList('host:port of each Sentinel, comma-separated, at most 16 (e.g. 10.0.0.1:26379,10.0.0.2:26379)'),
    /** A Redis Cluster instead: some of its nodes' addresses, host:port,… (the rest are found from them). */
    REDIS_CLUSTER: hostPortList('host:port of cluster nodes, comma-separated, at most 16 (e.g. 10.0.0.1:6379,10.0.0.2:6379)'),
    /** The name the Sentinels monitor the primary under (their `sentinel monitor <name> …`). */
    REDIS_MASTER_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)')
      .optional(),
    REDIS_SENTINEL_PASSWORD: z.string().min(1).max(512).optional(),
    /** The primary's and replicas' password under Sentinel, or the cluster nodes' (with REDIS_URL it is part of the URL). */
    REDIS_PASSWORD: z.string().min(1).max(512).optional(),
    /** Replicas that must hold a write (WAIT) before it is acknowledged; 0: acknowledged once the primary has it. */
    REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
    /** How long a write waits for that confirmation before it is answered 503 (not confirmed: retry). */
    REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    EVENT_RETENTION: z.coerce.number().int().min(100).default(10_000),
    SLOW_CLIENT_LIMIT: z.coerce.number().int().min(10).default(2_000),
    LIVE_FRAME_MS: z.coerce.number().int().min(0).max(10_000).default(200),
    FIELD_FRAME_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    LIVE_STATE_MS: z.coerce.number().int().min(0).max(10_000).default(50),
    /** How often every live socket hears the server's seq and time, so a quiet feed is still known live (screens call it stale after 10 s without). */
    LIVE_HEARTBEAT_MS: z.coerce.number().int().min(500).max(5_000).default(3_000),
    /** Live sockets one session may hold open at once (a wall in a few tabs; a dispatcher's two or three screens). */
    LIVE_SOCKETS_PER_SESSION: z.coerce.number().int().min(1).max(1000).default(8),
    /** Snapshots and replays one session may be served a minute (connects, resumes, resyncs, subscribes). */
    LIVE_RESUMES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    DATA_DIR: z.string().min(1).default(sampleDataDir),
    CLIENT_DIR: z.string().min(1).default('dist/client'),
    DEMO_PASSWORD: z.string().min(8).optional(),
    SESSION_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(12 * 60),
    WALL_SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(30),
    SIMULATOR: Bool.optional(),
    SIMULATOR_TICK_MS: z.coerce.number().int().min(50).default(1000),
    SIMULATOR_SPEED: z.coerce.number().positive().max(100).default(1),
    /** offline: the county's own DATA_DIR/basemap.pmtiles when there is one, else a plain background (blank: always that). */
    MAP_BASEMAP: z.enum(['offline', 'blank', 'pmtiles', 'tianditu', 'amap', 'style', 'xyz']).default('offline'),
    /** The PMTiles file MAP_BASEMAP=pmtiles (or offline) serves; absent: DATA_DIR/basemap.pmtiles. */
    MAP_PMTILES: z.string().min(1).max(4096).optional(),
    MAP_STYLE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The coordinate system of a style's or a tile server's tiles. */
    MAP_STYLE_CRS: z.enum(['wgs84', 'gcj02']).default('wgs84'),
    /** An XYZ or WMTS tile server: a URL template with {z} {x} {y} (or WMTS {TileMatrix} {TileCol} {TileRow}); several: comma-separated. */
    MAP_TILES_URL: z
      .string()
      .max(4000)
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === '') return undefined;
        const list = v.split(',').map((u) => tileTemplateOf(u.trim()));
        if (list.length > 16 || list.some((u) => u === null)) {
          ctx.addIssue({ code: 'custom', message: 'http(s) tile URL templates with {z}, {x} and {y} (or WMTS {TileMatrix}, {TileCol}, {TileRow}), comma-separated, at most 16' });
          return undefined;
        }
        return list as string[];
      }),
    MAP_TILES_TYPE: z.enum(['raster', 'vector']).default('raster'),
    MAP_TILES_MAXZOOM: z.coerce.number().int().min(0).max(24).default(18),
    TIANDITU_KEY: z
      .string()
      .regex(/^[A-Za-z0-9]+$/)
      .optional(),
    FIX_STALE_SECONDS: z.coerce
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(DEFAULT_FIX_STALE_MS / 1000),
    DISINFECTION_MIN_MINUTES: z.coerce.number().min(0).max(480).default(30),
    ESCALATION_THRESHOLD: z.coerce.number().gt(0).max(1).default(DEFAULT_ESCALATION_THRESHOLD),
    QUEUE_BUSY_MINUTES: z.coerce.number().positive().max(600).default(DEFAULT_QUEUE_THRESHOLDS.busyMinutes),
    QUEUE_CONGESTED_MINUTES: z.coerce.number().positive().max(600).default(DEFAULT_QUEUE_THRESHOLDS.congestedMinutes),
    QUEUE_BUSY_PEOPLE: z.coerce.number().int().positive().max(100_000).optional(),
    QUEUE_CONGESTED_PEOPLE: z.coerce.number().int().positive().max(100_000).optional(),
    /** Coverage bands in minutes of road travel, ascending (a rural county: 15, 30, 60). */
    COVERAGE_THRESHOLDS_MIN: z
      .string()
      .default('15,30,60')
      .transform((v, ctx) => {
        const list = v.split(',').map((x) => Number(x.trim()));
        const ok = list.length >= 1 && list.length <= 6 && list.every((x, i) => Number.isInteger(x) && x > 0 && x <= 240 && (i === 0 || x > list[i - 1]!));
        if (!ok) ctx.addIssue({ code: 'custom', message: 'one to six whole minutes (1–240), ascending and comma-separated, e.g. 15,30,60' });
        return list;
      }),
    /** The band move-up suggestions maximise (minutes; one of COVERAGE_THRESHOLDS_MIN; default the middle one). */
    COVERAGE_TARGET_MIN: z.coerce.number().int().positive().max(240).optional(),
    /** A unit's row of times is searched again once it is this far from where it was last searched (metres). */
    COVERAGE_TOLERANCE_METERS: z.coerce.number().int().min(0).max(5000).default(300),
    ROUTER: z.enum(['graph', 'osrm']).default('graph'),
    OSRM_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Ambulance speeds by road class over the defaults (server/routing/road-speeds.ts): `class=kmh,…`. */
    ROAD_SPEEDS_KMH: z
      .string()
      .max(4000)
      .optional()
      .transform((v, ctx) => {
        const table = speedTableOf(v);
        if (!table) ctx.addIssue({ code: 'custom', message: 'class=kmh pairs, comma-separated, lower-case classes, 1–200 km/h (e.g. residential=30,track=10)' });
        return table ?? DEFAULT_ROAD_SPEEDS_KMH;
      }),
    /** A road import keeps the county's bounding box grown by this, km (the way to a city hospital). */
    ROAD_IMPORT_MARGIN_KM: z.coerce.number().min(0).max(300).default(20),
    JT808_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** A connection that has not authenticated (0x0102) this long after connecting is closed. */
    JT808_AUTH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
    /** Open JT/T 808 connections from one address (a carrier NAT puts many terminals behind one). */
    JT808_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
    JT808_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /** Registrations (0x0100) per window from one address, and for one phone number. */
    JT808_REGISTRATIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(20),
    JT808_REGISTRATIONS_PER_PHONE: z.coerce.number().int().min(1).max(1_000_000).default(5),
    /** Failed authentications (0x0102) per window from one address. */
    JT808_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(20),
    JT808_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    /** A fix this far ahead of the server's clock is refused (it would hold the unit until then). */
    FIX_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    MAX_FIX_SPEED_KMH: z.coerce.number().positive().max(1000).default(200),
    /** A moving unit keeps its grid until it is this far inside another (no flapping at grid edges). */
    GRID_EDGE_MARGIN_METERS: z.coerce.number().min(0).max(1000).default(GRID_EDGE_MARGIN_METERS),
    /** A unit on a task has arrived at its pickup, hospital or decontamination point within this radius… */
    ARRIVAL_RADIUS_METERS: z.coerce.number().min(10).max(5000).default(ARRIVAL_DEFAULTS.enterMeters),
    /** …and has left only past this one (larger: the hysteresis band)… */
    ARRIVAL_LEAVE_RADIUS_METERS: z.coerce.number().min(10).max(10_000).default(ARRIVAL_DEFAULTS.leaveMeters),
    /** …after staying this long. */
    ARRIVAL_DWELL_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(ARRIVAL_DEFAULTS.dwellMs / 1000),
    /** Record detected arrivals as steps by the board itself, instead of proposing them to the dispatcher. */
    ARRIVAL_AUTO_RECORD: Bool.default(false),
    METRICS_TOKEN: z.string().min(16).optional(),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Sign-in attempts a minute from one address, whatever the usernames (password spraying). */
    LOGIN_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(60),
    /** Failed sign-ins from one address within this many seconds after the first leave one summary entry in the audit log. */
    LOGIN_AUDIT_FOLD_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    INGEST_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(6000),
    ALERT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    HISTORY_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    HISTORY_RETENTION_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 90)
      .default(48),
    REPORT_TIME: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, e.g. 17:00')
      .default('17:00'),
    REPORT_TIME_ZONE: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone, e.g. Asia/Shanghai')
      .optional(),
    /** A mass-testing round's deadline when the commander does not choose one (5–7 days). */
    ROUND_DEADLINE_DAYS: z.coerce.number().int().min(5).max(7).default(DEFAULT_DEADLINE_DAYS),
    /** A round's town or grid is behind when its share sampled is this far under the expected share. */
    ROUND_BEHIND_MARGIN: z.coerce.number().min(0).max(0.5).default(DEFAULT_BEHIND_MARGIN),
    AUDIT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(180),
    /** The audit log keeps about this many entries at most, besides AUDIT_RETENTION_DAYS. */
    AUDIT_MAX_ENTRIES: z.coerce.number().int().min(1000).max(100_000_000).default(1_000_000),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().max(600).default(10),
    /** Proxies whose X-Forwarded-For is believed: none (default), a hop count, or addresses/CIDRs. */
    TRUST_PROXY: z
      .string()
      .trim()
      .default('')
      .transform((v, ctx) => {
        const parsed = trustProxyOf(v);
        if (parsed === null) ctx.addIssue({ code: 'custom', message: 'a hop count (e.g. 1) or proxy addresses/CIDRs, comma-separated (e.g. 127.0.0.1,10.0.0.0/8)' });
        return parsed ?? false;
      }),
    /** Browsers reach the board over https (TLS here or at the proxy): the CSP then asks them to upgrade insecure requests. */
    TLS: Bool.default(false),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    HTTP_UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    // Above socket.io's 25 s ping interval: a long-poll waits that long with nothing sent.
    HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(30_000).max(3_600_000).default(60_000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.MAP_BASEMAP === 'tianditu' && !env.TIANDITU_KEY) ctx.addIssue({ code: 'custom', path: ['TIANDITU_KEY'], message: 'MAP_BASEMAP=tianditu needs a Tianditu browser key' });
    if (env.MAP_BASEMAP === 'xyz' && !env.MAP_TILES_URL)
      ctx.addIssue({ code: 'custom', path: ['MAP_TILES_URL'], message: 'MAP_BASEMAP=xyz needs the URL template of the tile server' });
    if (env.MAP_PMTILES !== undefined && env.MAP_BASEMAP !== 'pmtiles' && env.MAP_BASEMAP !== 'offline')
      ctx.addIssue({ code: 'custom', path: ['MAP_PMTILES'], message: 'only used with MAP_BASEMAP=pmtiles (or offline)' });
    if ((env.MAP_BASEMAP === 'pmtiles' || env.MAP_PMTILES !== undefined) && !isFile(pmtilesPathOf(env)))
      ctx.addIssue({
        code: 'custom',
        path: ['MAP_PMTILES'],
        message: `no PMTiles file at ${pmtilesPathOf(env)} (build one with npm run county, or planetiler / tilemaker: see README)`,
      });
    if (env.MAP_BASEMAP === 'style' && !env.MAP_STYLE_URL)
      ctx.addIssue({ code: 'custom', path: ['MAP_STYLE_URL'], message: 'MAP_BASEMAP=style needs the URL of a MapLibre style' });
    if (env.NODE_ENV === 'production' && env.DEMO_PASSWORD === DEFAULT_DEMO_PASSWORD)
      ctx.addIssue({ code: 'custom', path: ['DEMO_PASSWORD'], message: 'the published demo password may not be used in production: choose another' });
    if (env.QUEUE_CONGESTED_MINUTES <= env.QUEUE_BUSY_MINUTES) ctx.addIssue({ code: 'custom', path: ['QUEUE_CONGESTED_MINUTES'], message: 'must be more than QUEUE_BUSY_MINUTES' });
    if (env.QUEUE_BUSY_PEOPLE !== undefined && env.QUEUE_CONGESTED_PEOPLE !== undefined && env.QUEUE_CONGESTED_PEOPLE <= env.QUEUE_BUSY_PEOPLE)
      ctx.addIssue({ code: 'custom', path: ['QUEUE_CONGESTED_PEOPLE'], message: 'must be more than QUEUE_BUSY_PEOPLE' });
    if (env.ARRIVAL_LEAVE_RADIUS_METERS <= env.ARRIVAL_RADIUS_METERS)
      ctx.addIssue({ code: 'custom', path: ['ARRIVAL_LEAVE_RADIUS_METERS'], message: 'must be more than ARRIVAL_RADIUS_METERS (leaving only past a larger radius)' });
    if (env.REDIS_SENTINELS && env.REDIS_URL)
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'either REDIS_URL (one Redis) or REDIS_SENTINELS (a Sentinel-managed primary), not both' });
    if (env.REDIS_CLUSTER && (env.REDIS_URL || env.REDIS_SENTINELS))
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER'],
        message: 'either REDIS_CLUSTER, REDIS_URL (one Redis) or REDIS_SENTINELS (a Sentinel-managed primary), not two of them',
      });
    if (env.REDIS_SENTINELS && !env.REDIS_MASTER_NAME)
      ctx.addIssue({ code: 'custom', path: ['REDIS_MASTER_NAME'], message: 'REDIS_SENTINELS needs the name the Sentinels monitor the primary under' });
    if (!env.REDIS_SENTINELS)
      for (const name of ['REDIS_MASTER_NAME', 'REDIS_SENTINEL_PASSWORD'] as const)
        if (env[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'only used with REDIS_SENTINELS' });
    if (!env.REDIS_SENTINELS && !env.REDIS_CLUSTER && env.REDIS_PASSWORD !== undefined)
      ctx.addIssue({ code: 'custom', path: ['REDIS_PASSWORD'], message: 'only used with REDIS_SENTINELS or REDIS_CLUSTER (with REDIS_URL the password is part of the URL)' });
    if (env.REDIS_WAIT_REPLICAS > 0 && !env.REDIS_SENTINELS && !env.REDIS_URL && !env.REDIS_CLUSTER)
      ctx.addIssue({ code: 'custom', path: ['REDIS_WAIT_REPLICAS'], message: 'needs a Redis (REDIS_URL or REDIS_SENTINELS): the in-process store has no replicas' });
    // WAIT and the replication barrier go to one primary's connection; a cluster client sends a
    // keyless command to any shard, so the confirmation would not be the board's shard's.
    if (env.REDIS_WAIT_REPLICAS > 0 && env.REDIS_CLUSTER)
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_WAIT_REPLICAS'],
        message: 'not supported together with REDIS_CLUSTER (replica confirmation is per primary): use REDIS_SENTINELS for a board that waits for replicas',
      });
    if (env.REDIS_CLUSTER && env.REDIS_PREFIX !== undefined && !hashTagOf(env.REDIS_PREFIX))
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_PREFIX'],
        message: "with REDIS_CLUSTER the prefix must carry a hash tag, so all of a board's keys are in one slot (e.g. {620922}:); absent: {<county code>}:",
      });
    if (env.COVERAGE_TARGET_MIN !== undefined && !env.COVERAGE_THRESHOLDS_MIN.includes(env.COVERAGE_TARGET_MIN))
      ctx.addIssue({ code: 'custom', path: ['COVERAGE_TARGET_MIN'], message: 'must be one of COVERAGE_THRESHOLDS_MIN' });
    if (env.ROUTER === 'osrm' && !env.OSRM_URL) ctx.addIssue({ code: 'custom', path: ['OSRM_URL'], message: 'ROUTER=osrm needs the URL of an OSRM server' });
  })
  .transform((env) => ({
    production: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    redisUrl: env.REDIS_URL,
    redisSentinel: env.REDIS_SENTINELS
      ? {
          sentinels: env.REDIS_SENTINELS,
          name: env.REDIS_MASTER_NAME ?? '',
          sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
          password: env.REDIS_PASSWORD,
        }
      : null,
    redisCluster: env.REDIS_CLUSTER ? { nodes: env.REDIS_CLUSTER, password: env.REDIS_PASSWORD } : null,
    redisWait: { replicas: env.REDIS_WAIT_REPLICAS, timeoutMs: env.REDIS_WAIT_TIMEOUT_MS },
    /** REDIS_PREFIX as given (undefined: the default for the store, see redisPrefixFor). */
    redisPrefix: env.REDIS_PREFIX,
    eventRetention: env.EVENT_RETENTION,
    slowClientLimit: env.SLOW_CLIENT_LIMIT,
    liveFrameMs: env.LIVE_FRAME_MS,
    fieldFrameMs: env.FIELD_FRAME_MS,
    stateFrameMs: env.LIVE_STATE_MS,
    heartbeatMs: env.LIVE_HEARTBEAT_MS,
    liveSocketsPerSession: env.LIVE_SOCKETS_PER_SESSION,
    liveResumesPerMinute: env.LIVE_RESUMES_PER_MINUTE,
    dataDir: env.DATA_DIR,
    clientDir: env.CLIENT_DIR,
    // Outside production a newcomer gets the documented demo password.
    demoPassword: env.DEMO_PASSWORD ?? (env.NODE_ENV === 'production' ? undefined : DEFAULT_DEMO_PASSWORD),
    sessionTtlMs: env.SESSION_TTL_MINUTES * 60_000,
    wallSessionTtlMs: env.WALL_SESSION_TTL_DAYS * 86_400_000,
    simulator: env.SIMULATOR ?? env.NODE_ENV !== 'production',
    simulatorTickMs: env.SIMULATOR_TICK_MS,
    simulatorSpeed: env.SIMULATOR_SPEED,
    basemap: basemapOf(env),
    /** The file behind a pmtiles basemap (served at its url), else null. */
    pmtilesFile: basemapOf(env).kind === 'pmtiles' ? pmtilesPathOf(env) : null,
    fixStaleMs: env.FIX_STALE_SECONDS * 1000,
    minDisinfectionMs: env.DISINFECTION_MIN_MINUTES * 60_000,
    escalationThreshold: env.ESCALATION_THRESHOLD,
    queueThresholds: {
      busyMinutes: env.QUEUE_BUSY_MINUTES,
      congestedMinutes: env.QUEUE_CONGESTED_MINUTES,
      ...(env.QUEUE_BUSY_PEOPLE === undefined ? {} : { busyPeople: env.QUEUE_BUSY_PEOPLE }),
      ...(env.QUEUE_CONGESTED_PEOPLE === undefined ? {} : { congestedPeople: env.QUEUE_CONGESTED_PEOPLE }),
    },
    jt808: env.JT808_PORT === undefined ? null : { port: env.JT808_PORT },
    jt808Limits: {
      authTimeoutMs: env.JT808_AUTH_TIMEOUT_SECONDS * 1000,
      connectionsPerAddress: env.JT808_CONNECTIONS_PER_ADDRESS,
      maxConnections: env.JT808_MAX_CONNECTIONS,
      registrationsPerAddress: env.JT808_REGISTRATIONS_PER_ADDRESS,
      registrationsPerPhone: env.JT808_REGISTRATIONS_PER_PHONE,
      authFailuresPerAddress: env.JT808_AUTH_FAILURES_PER_ADDRESS,
      windowMs: env.JT808_LIMIT_WINDOW_SECONDS * 1000,
    },
    alertIntervalMs: env.ALERT_INTERVAL_SECONDS * 1000,
    metricsToken: env.METRICS_TOKEN,
    loginRateLimit: env.LOGIN_RATE_LIMIT,
    loginRateLimitPerAddress: env.LOGIN_RATE_LIMIT_PER_ADDRESS,
    loginAuditFoldMs: env.LOGIN_AUDIT_FOLD_SECONDS * 1000,
    ingestRateLimit: env.INGEST_RATE_LIMIT,
    /** How often live sockets' sessions are checked again (not an environment variable). */
    sessionRecheckMs: 30_000,
    historyIntervalMs: env.HISTORY_INTERVAL_SECONDS * 1000,
    historyRetentionMs: env.HISTORY_RETENTION_HOURS * 3_600_000,
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    auditRetentionMs: env.AUDIT_RETENTION_DAYS * 86_400_000,
    auditMaxEntries: env.AUDIT_MAX_ENTRIES,
    rounds: { defaultDeadlineDays: env.ROUND_DEADLINE_DAYS, behindMargin: env.ROUND_BEHIND_MARGIN },
    report: {
      dueMinutes: Number(env.REPORT_TIME.slice(0, 2)) * 60 + Number(env.REPORT_TIME.slice(3)),
      /** null: the county's own (its data's time zone, Asia/Shanghai when it names none). */
      timeZone: env.REPORT_TIME_ZONE ?? null,
    },
    gridEdgeMarginMeters: env.GRID_EDGE_MARGIN_METERS,
    arrival: {
      fence: { enterMeters: env.ARRIVAL_RADIUS_METERS, leaveMeters: env.ARRIVAL_LEAVE_RADIUS_METERS, dwellMs: env.ARRIVAL_DWELL_SECONDS * 1000 },
      autoRecord: env.ARRIVAL_AUTO_RECORD,
    },
    fixLimits: { maxSpeedKmh: env.MAX_FIX_SPEED_KMH, maxFutureMs: env.FIX_MAX_FUTURE_SECONDS * 1000, maxAgeMs: 24 * 3_600_000 },
    coverage: {
      thresholdsMin: env.COVERAGE_THRESHOLDS_MIN,
      targetMin: env.COVERAGE_TARGET_MIN ?? env.COVERAGE_THRESHOLDS_MIN[Math.floor((env.COVERAGE_THRESHOLDS_MIN.length - 1) / 2)]!,
      toleranceMeters: env.COVERAGE_TOLERANCE_METERS,
    },
    roads: { speeds: env.ROAD_SPEEDS_KMH, marginKm: env.ROAD_IMPORT_MARGIN_KM },
    router: env.ROUTER === 'osrm' && env.OSRM_URL ? ({ kind: 'osrm', url: env.OSRM_URL } as const) : ({ kind: 'graph' } as const),
    trustProxy: env.TRUST_PROXY,
    tls: env.TLS,
    http: {
      /** A request (headers and body) must have arrived within this; upload routes get uploadTimeoutMs. */
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      uploadTimeoutMs: env.HTTP_UPLOAD_TIMEOUT_MS,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEPALIVE_TIMEOUT_MS,
      /** A connection with nothing sent or read for this long is closed (not upgraded websockets). */
      idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
  }));

/** The key prefix of a board: REDIS_PREFIX, else epi:, or on a cluster the county's own hash tag. */
export function redisPrefixFor(config: Pick<Config, 'redisPrefix' | 'redisCluster'>, countyCode: string): string {
  if (config.redisPrefix !== undefined) return config.redisPrefix;
  if (!config.redisCluster) return 'epi:';
  if (!/^[A-Za-z0-9_.-]+$/.test(countyCode))
    throw new ConfigError("REDIS_CLUSTER: the county data has no code (adcode) to make the board's hash tag of: set REDIS_PREFIX, e.g. {620922}:");
  return `{${countyCode}}:`;
}

/**
 * DATA_DIR's default: the sample county the repository ships, the one folder under data/
 * holding a county.geojson (data/sources holds the public sources, not a county).
 */
export function sampleDataDir(root = 'data'): string {
  const found = existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'county.geojson')))
        .map((d) => d.name)
        .sort()
    : [];
  return found.length ? join(root, found[0]!) : root;
}

export { PMTILES_URL } from './config/basemap.ts';
export { hashTagOf } from './config/values.ts';
export const DEFAULT_DEMO_PASSWORD = 'epi-board-demo';
export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A configuration for tests and tools: the defaults plus overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Frames off by default: most tests look at every delta; the frame tests turn them on.
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      SIMULATOR: 'off',
      LOG_LEVEL: 'silent',
      LIVE_FRAME_MS: '0',
      FIELD_FRAME_MS: '0',
      LOGIN_RATE_LIMIT: '1000',
      LOGIN_RATE_LIMIT_PER_ADDRESS: '100000',
    }),
    ...overrides,
  };
}
