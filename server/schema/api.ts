// Request and response bodies of the REST API and the socket.io event map.
import { z } from 'zod';
import { BedCount, Id, Lat, Lng, Millis, SampleCategory, SamplingPointStatus, VisibleText } from './entities.ts';
import type { Delta, Replay, Snapshot, StoreStatus } from './live.ts';
import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { DecontaminationPoint, GridProps, LngLat } from './entities.ts';
import type { StaticChanged } from './grid-imports.ts';

export const Role = z.enum(['admin', 'commander', 'dispatcher', 'field', 'wall']);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: Millis,
  user: z.object({
    username: z.string(),
    role: Role,
    /** A field lead's own sampling points (the only ones they may change); empty for other roles. */
    samplingPoints: z.array(z.string()),
    /** The town of a field lead's first own point: where their tablet opens. */
    homeTown: z.string().optional(),
  }),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Account names: letters, digits, `.`, `_` and `-`, 2–32 long (they appear in the audit log). */
export const Username = z.string().regex(/^[A-Za-z0-9._-]{2,32}$/, '账户名为2–32位字母、数字、点、下划线或连字符');
/** A password an admin sets: at least 8 characters. */
export const NewPassword = z.string().min(8, '密码至少8位').max(256);
const PointIds = z.array(z.string().min(1).max(64)).max(200);

/** An account as admins see it: never the password hash. */
export const AccountView = z.object({
  username: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: Millis,
  /** A field lead's own sampling points (their scope); empty for other roles. */
  samplingPoints: z.array(z.string()),
});
export type AccountView = z.infer<typeof AccountView>;

export const NewAccount = z.object({ username: Username, role: Role, password: NewPassword, samplingPoints: PointIds.optional() }).strict();
export type NewAccount = z.infer<typeof NewAccount>;

/** What an admin may change on an account (its password has its own route). */
export const AccountChange = z
  .object({ role: Role, disabled: z.boolean(), samplingPoints: PointIds })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');
export type AccountChange = z.infer<typeof AccountChange>;

export const PasswordReset = z.object({ password: NewPassword }).strict();

const Count = z.number().int().nonnegative();

/** What a field lead may change on a sampling point. */
export const SamplingPointUpdate = z
  .object({
    status: SamplingPointStatus,
    queue: Count,
    desks: Count,
    samplesToday: Count,
    stock: z.object({ swabs: Count, tubes: Count }),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');

/**
 * One tap of a field lead, sent once however often it is retried (opId, made on the
 * tablet): increments apply to the server's current value, so two tablets or a retry
 * never overwrite each other.
 */
export const SamplingPointOp = z
  .object({
    opId: z.uuid(),
    op: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('queue-add'), delta: z.number().int().min(-1000).max(1000) }).strict(),
      z.object({ kind: z.literal('queue-set'), value: Count.max(100_000) }).strict(),
      z.object({ kind: z.literal('status'), status: SamplingPointStatus }).strict(),
      z.object({ kind: z.literal('desks'), value: Count.max(100) }).strict(),
      z.object({ kind: z.literal('stock-low'), value: z.boolean() }).strict(),
    ]),
  })
  .strict();
export type SamplingPointOp = z.infer<typeof SamplingPointOp>;

/** POST /api/sample-batches: a batch sent to the lab, from a sampling point or named by its source. */
export const NewSampleBatch = z
  .object({
    samplingPointId: Id.optional(),
    source: VisibleText(100).optional(),
    category: SampleCategory,
    samples: z.number().int().min(1).max(100_000),
    /** When the batch was collected (default: now); not in the future, not over a week ago. */
    collectedAt: Millis.optional(),
  })
  .strict()
  .refine((b) => b.samplingPointId !== undefined || b.source !== undefined, { message: 'samplingPointId or source is required' });
export type NewSampleBatch = z.infer<typeof NewSampleBatch>;
/** POST /api/sample-batches/:id/result: the lab reported (default: now). */
export const SampleBatchResult = z.object({ resultedAt: Millis.optional() }).strict();
export type SampleBatchResult = z.infer<typeof SampleBatchResult>;

export const HotelUpdate = z
  .object({
    rooms: z.object({ total: Count, occupied: Count, cleaning: Count }),
    people: Count,
    checkInsToday: Count,
    checkOutsToday: Count,
    staff: z.object({ doctors: Count, nurses: Count }),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change')
  .refine((v) => !v.rooms || v.rooms.occupied + v.rooms.cleaning <= v.rooms.total, {
    message: 'occupied + cleaning rooms exceed the total',
    path: ['rooms'],
  });

export const HospitalUpdate = z
  .object({
    open: z.boolean(),
    beds: z.object({ treatment: BedCount, icu: BedCount, isolation: BedCount }).partial(),
    maxCapacity: Count,
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');

/** A position report; `at` defaults to the server's time of receipt. */
export const PositionReport = z
  .object({
    lng: Lng,
    lat: Lat,
    at: Millis.optional(),
    speed: z.number().min(0).max(400).default(0),
    heading: z.number().min(0).lt(360).default(0),
  })
  .strict();

/** POST /api/ambulances/positions: many vehicles' fixes in one request (a fleet platform, a gateway). */
export const PositionBatch = z
  .object({
    fixes: z
      .array(PositionReport.extend({ id: z.string().min(1).max(64) }))
      .min(1)
      .max(2000),
  })
  .strict();
export type PositionBatch = z.input<typeof PositionBatch>;

export type SamplingPointUpdate = z.infer<typeof SamplingPointUpdate>;
export type HotelUpdate = z.infer<typeof HotelUpdate>;
export type HospitalUpdate = z.infer<typeof HospitalUpdate>;
export type PositionReport = z.input<typeof PositionReport>;

const NumberText = z
  .string()
  .trim()
  .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'a decimal number')
  .transform(Number);
export const LocateQuery = z.object({
  lng: NumberText.pipe(z.number().min(-180).max(180)),
  lat: NumberText.pipe(z.number().min(-90).max(90)),
});
export const LocateResponse = z.object({
  id: z.string(),
  name: z.string(),
  villageName: z.string(),
  townName: z.string(),
});

/** socket.io namespace `/live`: what the server emits. */
export interface LiveServerEvents {
  snapshot: (snapshot: Snapshot) => void;
  /** The answer to a handshake with `lastSeq` when the event log still holds what was missed. */
  replay: (replay: Replay) => void;
  delta: (delta: Delta) => void;
  /** Sent on connection and whenever it changes: whether the server reaches its store. */
  store: (status: StoreStatus) => void;
  /** This process is shutting down: reconnect (the load balancer picks another). */
  draining: () => void;
  /** The grids were replaced by an import: refetch /api/grids (its ETag changed). */
  'static-changed': (event: StaticChanged) => void;
  /** Every LIVE_HEARTBEAT_MS: the seq the server has reached and its time (a quiet feed is still live). */
  heartbeat: (beat: { seq: number; at: number }) => void;
  /** A request refused (a resync or subscribe over the session's limit): nothing else is sent for it. */
  'live-error': (error: { error: string; message: string }) => void;
}
/** socket.io namespace `/live`: what a client may emit. */
export interface LiveClientEvents {
  /** Ask for a fresh snapshot (the client saw a gap in `seq`). */
  resync: () => void;
  /**
   * Change what this screen receives (another town, other layers; null for
   * everything): answered with a snapshot of the new view, reason 'resubscribe'.
   */
  subscribe: (subscription: unknown) => void;
}

/** A town (乡镇) of the county's gazetteer; `center` is approximate in the sample county. */
export const Town = z.object({
  code: z.string(),
  name: z.string(),
  center: LngLat,
  seat: z.boolean(),
  /** The town's people as its record counts them (a town import's 人口); absent: the sum of its grids' counts. */
  population: z.number().int().nonnegative().optional(),
});
export type Town = z.infer<typeof Town>;

/** Which county the board serves, from its data (county.geojson): every title, the map's frame and the day's clock come from here. */
export const CountyInfo = z.object({
  /** The 6-digit admin code. */
  code: z.string(),
  name: z.string().min(1),
  /** The name in Latin letters (pinyin), for the English UI: 瓜州县 → Guazhou County. */
  nameEn: z.string().min(1),
  /** The seat of the county government, else the middle of its outline. */
  center: LngLat,
  /** [west, south, east, north] of the outline. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** IANA time zone of the county's day. */
  timeZone: z.string().min(1),
});
export type CountyInfo = z.infer<typeof CountyInfo>;

/** GET /api/county: the static frame of the map. */
export interface CountyResponse {
  info: CountyInfo;
  outline: FeatureCollection<Polygon | MultiPolygon>;
  towns: Town[];
  roads: FeatureCollection<LineString>;
  decontaminationPoints: DecontaminationPoint[];
}

/** GET /api/grids: the grids' geometry with their static properties. */
export type GridCollection = FeatureCollection<Polygon | MultiPolygon, GridProps>;
export type GridFeature = GridCollection['features'][number];

/**
 * The map under the overlays. 'offline' needs no network (government intranets often cannot
 * reach map services): a plain background; 'pmtiles' is vector tiles from a PMTiles file the
 * board serves itself at `url` (on its own origin: the county's own basemap.pmtiles by
 * default); 'tianditu' is 天地图 (WGS-84/CGCS2000, needs a browser key); 'amap' is 高德 (GCJ-02:
 * every overlay is shifted to it); 'style' is any MapLibre style URL and 'xyz' any XYZ or WMTS
 * tile server (raster, or vector in the OpenMapTiles schema), e.g. an intranet one, in either system.
 */
export const Basemap = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offline') }),
  z.object({ kind: z.literal('pmtiles'), url: z.string().startsWith('/') }),
  z.object({ kind: z.literal('tianditu'), key: z.string() }),
  z.object({ kind: z.literal('amap') }),
  z.object({ kind: z.literal('style'), url: z.string(), crs: z.enum(['wgs84', 'gcj02']) }),
  z.object({
    kind: z.literal('xyz'),
    /** Tile URL templates with {z}, {x} and {y}. */
    tiles: z.array(z.string()).min(1),
    type: z.enum(['raster', 'vector']),
    crs: z.enum(['wgs84', 'gcj02']),
    maxzoom: z.number().int().min(0).max(24),
  }),
]);
export type Basemap = z.infer<typeof Basemap>;

/** GET /api/client-config: the settings every screen needs before it draws. */
export const ClientConfig = z.object({
  basemap: Basemap,
  /** A fix older than this is shown as stale and its unit is not recommended. */
  fixStaleSeconds: z.number().int().positive(),
  /** The shortest terminal disinfection, for the dispatcher's countdown. */
  disinfectionMinMinutes: z.number().nonnegative(),
  /** When a sampling point is busy or crowded (QUEUE_* variables): every screen grades alike. */
  queueThresholds: z.object({
    busyMinutes: z.number().positive(),
    congestedMinutes: z.number().positive(),
    busyPeople: z.number().int().positive().optional(),
    congestedPeople: z.number().int().positive().optional(),
  }),
  /** The current grids' version: GET /api/grids?v= it is cached for good. */
  gridsVersion: z.string().min(1).max(64),
  /** The county the board serves. */
  county: CountyInfo,
});
export type ClientConfig = z.infer<typeof ClientConfig>;
