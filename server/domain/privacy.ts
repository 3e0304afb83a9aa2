// What each role's screen may hold, by allow-list. Commanders, dispatchers and admins run
// the response (or administer it) and see everything ('full'). Field tablets (sampling-
// point leads) get what sampling needs: no transfers (patients, addresses), no crews, no
// usernames or free text ('field'). The wall, seen by everyone in the room, and the
// exports, which leave the board, get no personal data at all ('public'): transfers only
// at grid level (the grid and a point inside it, never the patient's door), no free text,
// no usernames, no patients, addresses, crews, staff or grid leads' names.
//
// Every field of every entity is named below for each redacted view, and a view copies
// only what is named: a field the schema gains is left out until someone classifies it
// (test/domain/privacy.test.ts fails until then). Pure: grid points are passed in.
import type { CollectionName, EntityOf, GridProps, LngLat, Role } from '../schema/index.ts';

/** 'full': everything; 'field': the field tablets'; 'public': the wall's and the exports'. */
export type View = 'full' | 'field' | 'public';

export const VIEW_OF_ROLE: Readonly<Record<Role, View>> = {
  admin: 'full',
  commander: 'full',
  dispatcher: 'full',
  field: 'field',
  wall: 'public',
};

export const roleView = (role: Role): View => VIEW_OF_ROLE[role];

/** What a view needs from outside: a point inside a grid (for a pickup shown at grid level). */
export interface ViewContext {
  gridPoint: (gridId: string) => LngLat | undefined;
}

/**
 * How one field is carried: copied as it is; left out (optional fields only); replaced by
 * a fixed neutral value (a required field, so the entity still matches its schema); derived
 * (from the value and the object it is in); or, for an object (or each object of an array;
 * null stays null), by its own allow-list.
 */
export type Rule =
  | { readonly kind: 'keep' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'set'; readonly value: unknown }
  | { readonly kind: 'map'; readonly fn: (value: unknown, parent: Record<string, unknown>, ctx: ViewContext) => unknown }
  | { readonly kind: 'fields'; readonly fields: Fields };
export type Fields = Readonly<Record<string, Rule>>;

const keep: Rule = { kind: 'keep' };
const drop: Rule = { kind: 'drop' };
const set = (value: unknown): Rule => ({ kind: 'set', value });
const map = (fn: (value: unknown, parent: Record<string, unknown>, ctx: ViewContext) => unknown): Rule => ({ kind: 'map', fn });
const fields = (f: Fields): Rule => ({ kind: 'fields', fields: f });
/** Every field copied (for entities with nothing personal in them). */
const all = (...names: string[]): Fields => Object.fromEntries(names.map((n) => [n, keep]));

const SITE = ['id', 'name', 'location', 'gridId', 'updatedAt'];

/**
 * A pickup at grid level: a point inside its grid; outside the county (no grid), the
 * position rounded to 0.1° (about 10 km), never the door.
 */
const gridLevel = map((value, parent, ctx) => {
  const gridId = parent.gridId as string | null;
  const point = gridId ? ctx.gridPoint(gridId) : undefined;
  if (point) return [point[0], point[1]];
  const [lng, lat] = value as LngLat;
  return [Math.round(lng * 10) / 10, Math.round(lat * 10) / 10];
});

/** What the caller told the dispatcher is a person's health and travel: not sent, a placeholder in its place. */
const NO_CALL: EntityOf<'transfers'>['call'] = {
  symptoms: false,
  history: { travel: false, residence: false, contact: false, exposure: false },
  condition: 'unknown',
  facilityTransfer: false,
};

/** A name or free text blanked where the schema requires a string; null stays null. */
const blankText = map((v) => (v === null ? null : ''));

const ambulance = (crew: Rule): Fields => ({ ...all('id', 'callSign', 'kind', 'status', 'station', 'fix', 'gridId', 'taskId', 'updatedAt'), crew });

/** Alerts without who acknowledged or resolved them nor the reason typed (the board's own 'auto' stays). */
const alert: Fields = {
  ...all('id', 'kind', 'severity', 'message', 'subject', 'gridId', 'town', 'status', 'raisedAt', 'updatedAt', 'rule', 'figures', 'terms', 'conditionCleared'),
  acknowledged: fields({ by: set(''), at: keep }),
  resolved: fields({ by: map((v) => (v === 'auto' ? 'auto' : '')), at: keep, reason: set('') }),
};

const testingRound: Fields = {
  ...all('id', 'number', 'name', 'scope', 'towns', 'gridIds', 'population', 'startedAt', 'deadlineDays', 'status', 'endedAt', 'updatedAt'),
  startedBy: set(''),
  endedBy: blankText,
};

/** The collections both redacted views share unchanged. */
const operational = {
  gridStatus: all('id', 'risk', 'updatedAt'),
  samplingPoints: all(...SITE, 'kind', 'serves', 'hours', 'status', 'queue', 'desks', 'deskThroughput', 'samplesToday', 'countsDay', 'stock', 'stockLow'),
  hotels: all(...SITE, 'rooms', 'people', 'checkInsToday', 'checkOutsToday', 'countsDay', 'staff'),
  hospitals: all(...SITE, 'role', 'open', 'beds', 'maxCapacity'),
  sampleBatches: all('id', 'samplingPointId', 'source', 'gridId', 'category', 'samples', 'collectedAt', 'resultedAt', 'updatedAt'),
  roundGrids: all('id', 'roundId', 'gridId', 'townName', 'population', 'sampled', 'updatedAt'),
} as const;

/** A redacted view's allow-list per collection; null: the collection is not sent at all. */
export type ViewSpec = { readonly [C in CollectionName]: Fields | null } & { readonly grids: Fields };

export const ALLOWED: Readonly<Record<Exclude<View, 'full'>, ViewSpec>> = {
  public: {
    ...operational,
    ambulances: ambulance(set([])),
    transfers: {
      ...all('id', 'ambulanceId', 'status', 'rule', 'crew', 'highRisk', 'destinationId', 'crossDistrict', 'decontamination', 'createdAt', 'updatedAt'),
      call: set(NO_CALL),
      pickup: fields({ location: gridLevel, gridId: keep, townName: keep, address: set('') }),
      patient: set(''),
      handover: fields({ sendingSide: set(''), crew: set([]), receivingHospitalId: keep, receivedBy: set('') }),
      // Where the unit was at each step (on scene: the patient's door), who moved it and the note typed: none of it.
      steps: fields({ from: keep, to: keep, at: keep, by: set(''), fix: set(null), note: drop }),
      // The arrival watched holds the place (the pickup: the patient's door): not at all.
      arrival: drop,
      createdBy: set(''),
    },
    alerts: alert,
    testingRounds: testingRound,
    // Move-ups are the dispatchers' business: the wall shows coverage as county figures only.
    moveTasks: null,
    grids: { ...all('id', 'name', 'villageCode', 'villageName', 'townCode', 'townName', 'population'), lead: set('') },
  },
  field: {
    ...operational,
    ambulances: ambulance(set([])),
    // Sampling-point leads take no part in transfers: no patients, addresses or crews.
    transfers: null,
    alerts: alert,
    testingRounds: testingRound,
    moveTasks: null,
    // A field lead works with the grid leads of the town (whom to call): their names stay.
    grids: all('id', 'name', 'villageCode', 'villageName', 'townCode', 'townName', 'population', 'lead'),
  },
};

function copy(value: unknown, allowed: Fields, ctx: ViewContext): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => copy(item, allowed, ctx));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(allowed)) {
    if (!Object.hasOwn(source, name) || rule.kind === 'drop') continue;
    const v = source[name];
    if (rule.kind === 'keep') out[name] = v;
    else if (rule.kind === 'set') out[name] = rule.value;
    else if (rule.kind === 'map') out[name] = rule.fn(v, source, ctx);
    else out[name] = copy(v, rule.fields, ctx);
  }
  return out;
}

/** Does this view get this collection at all? */
export function sends(view: View, collection: CollectionName): boolean {
  return view === 'full' || ALLOWED[view][collection] !== null;
}

/** The entity as this view may hold it: a new object of the allowed fields only ('full': the entity itself). */
export function viewEntity<C extends CollectionName>(view: View, collection: C, entity: EntityOf<C>, ctx: ViewContext): EntityOf<C> {
  if (view === 'full') return entity;
  const allowed = ALLOWED[view][collection];
  if (!allowed) throw new Error(`${collection} is not sent to the ${view} view`);
  return copy(entity, allowed, ctx) as EntityOf<C>;
}

/** The role's part of every collection (a collection it does not get is empty). */
export function viewCollections<T extends { [C in CollectionName]: Record<string, EntityOf<C>> }>(view: View, collections: T, ctx: ViewContext): T {
  if (view === 'full') return collections;
  const out = {} as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(collections) as CollectionName[]) {
    const part: Record<string, unknown> = {};
    if (sends(view, name)) for (const [id, e] of Object.entries(collections[name])) part[id] = viewEntity(view, name, e as EntityOf<typeof name>, ctx);
    out[name] = part;
  }
  return out as T;
}

const NO_CONTEXT: ViewContext = { gridPoint: () => undefined };

/** A grid's static properties as this view may see them. */
export function viewGridProps(view: View, props: GridProps): GridProps {
  return view === 'full' ? props : (copy(props, ALLOWED[view].grids, NO_CONTEXT) as GridProps);
}
