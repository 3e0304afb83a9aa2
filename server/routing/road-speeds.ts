// How fast an ambulance drives on each class of road, and which way a road may be driven.
// Pure: the table comes in (defaults here, overridden by ROAD_SPEEDS_KMH), the tags are
// the road's (OSM tags, or a GeoJSON/Shapefile feature's attributes).

/**
 * km/h by road class. OSM `highway` values: the car profile of OSRM 5 (profiles/car.lua,
 * `speed_profile`: motorway 90 … living_street 10), except `track` at 15 (OSRM leaves tracks
 * out; in rural Gansu they are how many villages are reached). The Chinese administrative
 * classes the sample county's roads use (expressway, national, provincial, county) keep the
 * board's earlier figures for a unit with lights and siren; township (乡道) and village (村道)
 * roads are OSRM's tertiary and unclassified.
 */
export const DEFAULT_ROAD_SPEEDS_KMH: Readonly<Record<string, number>> = {
  motorway: 90,
  motorway_link: 45,
  trunk: 85,
  trunk_link: 40,
  primary: 65,
  primary_link: 30,
  secondary: 55,
  secondary_link: 25,
  tertiary: 40,
  tertiary_link: 20,
  unclassified: 25,
  residential: 25,
  living_street: 10,
  service: 15,
  track: 15,
  road: 25,
  expressway: 100,
  national: 80,
  provincial: 70,
  county: 50,
  township: 40,
  village: 25,
};
/** A road whose class the table does not name. */
export const DEFAULT_ROAD_SPEED_KMH = 40;

/** OSM highway values no ambulance drives on: dropped from the network. */
export const NOT_DRIVABLE = new Set([
  'footway',
  'path',
  'cycleway',
  'steps',
  'pedestrian',
  'bridleway',
  'corridor',
  'platform',
  'elevator',
  'construction',
  'proposed',
  'abandoned',
  'disused',
  'razed',
  'raceway',
  'bus_guideway',
  'escape',
  'busway',
  'via_ferrata',
]);

export type SpeedTable = Readonly<Record<string, number>>;

/** ROAD_SPEEDS_KMH, `class=kmh,class=kmh`, over the defaults; null when unreadable. */
export function speedTableOf(value: string | undefined, base: SpeedTable = DEFAULT_ROAD_SPEEDS_KMH): SpeedTable | null {
  const out: Record<string, number> = { ...base };
  if (!value?.trim()) return out;
  for (const entry of value.split(',')) {
    const m = /^\s*([a-z_]{1,40})\s*=\s*(\d{1,3}(?:\.\d+)?)\s*$/.exec(entry);
    const kmh = Number(m?.[2]);
    if (!m || !(kmh >= 1 && kmh <= 200)) return null;
    out[m[1]!] = kmh;
  }
  return out;
}

/** A maxspeed tag in km/h: `50`, `50 km/h`, `30 mph`; null for `none`, `signals`, `CN:urban` and the like. */
export function maxspeedKmh(value: string | undefined): number | null {
  const m = /^\s*(\d{1,3}(?:\.\d+)?)\s*(km\/h|kmh|kph|mph)?\s*$/i.exec(value ?? '');
  if (!m) return null;
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'mph' ? 1.609344 : 1);
  return n > 0 ? n : null;
}

/**
 * The class's speed, or the posted limit where it is lower (a town's 30 zone slows a unit
 * with a siren too: it is how the street is built).
 */
export function roadSpeedKmh(roadClass: string, maxspeed: string | undefined, table: SpeedTable): number {
  const byClass = table[roadClass] ?? DEFAULT_ROAD_SPEED_KMH;
  const posted = maxspeedKmh(maxspeed);
  return posted !== null && posted < byClass ? posted : byClass;
}

export type Direction = 'both' | 'forward' | 'backward';

/**
 * Which way a road may be driven: `oneway` yes/true/1 forward, -1/reverse backward, no/false/0
 * both; without the tag, a motorway (OSM maps each carriageway as its own way) and a
 * roundabout are one-way forward. Geofabrik's Shapefiles say F (forward), T (backward) or B
 * (both). Anything else unreadable counts as both ways.
 */
export function directionOf(tags: { oneway?: string; junction?: string }, roadClass: string): Direction {
  const oneway = tags.oneway?.trim().toLowerCase();
  if (oneway === 'yes' || oneway === 'true' || oneway === '1' || oneway === 'f') return 'forward';
  if (oneway === '-1' || oneway === 'reverse' || oneway === 't') return 'backward';
  if (oneway === 'no' || oneway === 'false' || oneway === '0' || oneway === 'b') return 'both';
  if (roadClass === 'motorway' || tags.junction === 'roundabout' || tags.junction === 'circular') return 'forward';
  return 'both';
}
