// From raw roads to the network as it would be committed, and its report. Pure: each way or
// feature is kept or dropped with a reason (not a road, not for motor vehicles, no access,
// unreadable, outside the area), its class read (OSM `highway`; a GeoJSON or Shapefile
// `highway`, `class` or `fclass`), its speed from the table (or a lower posted maxspeed), its
// direction from `oneway`, its lines converted to WGS-84 and cut to the area (the county's
// bounding box grown by the margin: a bounding box, not the outline, so roads just outside a
// bend of the county line and the way to a city hospital within the margin stay); then the
// routing graph is built and its connected pieces counted.
import type { Feature, LineString } from 'geojson';
import type { ImportCrs, LngLat, RoadCollection, RoadDropReason, RoadImportReport, RoadPreview, RoadProps } from '../../schema/index.ts';
import { distanceMeters } from '../../geo/distance.ts';
import { buildRoadNetwork, type RoadNetwork } from '../../routing/road-network.ts';
import { roadComponents } from '../../routing/road-components.ts';
import { directionOf, NOT_DRIVABLE, roadSpeedKmh, type SpeedTable } from '../../routing/road-speeds.ts';
import { toWgs84 } from '../validate-rows.ts';
import type { RawRoad } from './raw-road.ts';

export type Bbox = [number, number, number, number];

/** The bounding box of [lng, lat] rings grown by `km` on every side. */
export function grownBbox(positions: Iterable<readonly number[]>, km: number): Bbox {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of positions) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  const dLat = km / 111.32;
  const dLng = km / (111.32 * Math.cos((((s + n) / 2) * Math.PI) / 180));
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return [r(w - dLng), r(s - dLat), r(e + dLng), r(n + dLat)];
}

/** Pieces of a line whose segments touch the box (a segment's own box meets it): the road leaves the area cleanly, one segment out. */
export function clipLine(line: readonly LngLat[], [w, s, e, n]: Bbox): LngLat[][] {
  const out: LngLat[][] = [];
  let run: LngLat[] = [];
  for (let k = 1; k < line.length; k++) {
    const [ax, ay] = line[k - 1]!;
    const [bx, by] = line[k]!;
    const touches = Math.max(ax, bx) >= w && Math.min(ax, bx) <= e && Math.max(ay, by) >= s && Math.min(ay, by) <= n;
    if (touches) {
      if (run.length === 0) run.push(line[k - 1]!);
      run.push(line[k]!);
    } else if (run.length > 0) {
      out.push(run);
      run = [];
    }
  }
  if (run.length > 0) out.push(run);
  return out;
}

export interface BuildRoadSetInput {
  roads: readonly RawRoad[];
  /** OSM data: the class is `highway` only, and positions are WGS-84 whatever `crs` says. */
  osm: boolean;
  crs: ImportCrs;
  area: Bbox;
  speeds: SpeedTable;
}

export type BuiltRoadSet = Pick<RoadImportReport, 'summary' | 'dropped' | 'classes' | 'unknownClasses' | 'components' | 'warnings'> & {
  roads: RoadCollection;
  network: RoadNetwork;
  preview: RoadPreview;
};

const NO = new Set(['no', 'private_no']);
/** Largest piece holding less of the road length than this: a warning to confirm. */
export const LARGEST_SHARE_WARNING = 0.9;
const ISLANDS = 10;
const km = (m: number) => Math.round(m / 10) / 100;
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function classOf(tags: Record<string, string>, osm: boolean): string | null {
  const value = osm ? tags.highway : (tags.highway ?? tags.class ?? tags.fclass ?? tags.CLASS ?? tags.FCLASS);
  if (value === undefined) return osm ? null : 'road';
  return value.trim().toLowerCase() || (osm ? null : 'road');
}

function dropReason(raw: RawRoad, cls: string | null): RoadDropReason | null {
  if (raw.geometry === 'none') return 'bad-geometry';
  if (raw.geometry === 'other' || cls === null || raw.tags.area === 'yes') return 'not-a-road';
  if (NOT_DRIVABLE.has(cls)) return 'not-drivable';
  // An ambulance on a call may use private roads; only a way closed to every motor vehicle is left out.
  const closed = [raw.tags.access, raw.tags.motor_vehicle, raw.tags.vehicle].some((v) => v !== undefined && NO.has(v));
  if (closed && raw.tags.emergency !== 'yes') return 'no-access';
  return null;
}

const lineMeters = (line: readonly LngLat[]) => {
  let m = 0;
  for (let k = 1; k < line.length; k++) m += distanceMeters(line[k - 1]![0], line[k - 1]![1], line[k]![0], line[k]![1]);
  return m;
};

export function buildRoadSet({ roads, osm, crs, area, speeds }: BuildRoadSetInput): BuiltRoadSet {
  const dropped = new Map<RoadDropReason, number[]>();
  const drop = (reason: RoadDropReason, feature: number) => {
    const list = dropped.get(reason) ?? [];
    list.push(feature);
    dropped.set(reason, list);
  };
  const features: Feature<LineString, RoadProps>[] = [];
  const byClass = new Map<string, { kmh: number; meters: number; features: number }>();
  const unknown = new Map<string, number>();
  let kept = 0;
  let oneWayMeters = 0;
  const convert = osm || crs === 'wgs84' ? (p: number[]): LngLat => [round7(p[0]!), round7(p[1]!)] : (p: number[]): LngLat => toWgs84(p[0]!, p[1]!, crs);
  for (const raw of roads) {
    const cls = classOf(raw.tags, osm);
    const reason = dropReason(raw, cls);
    if (reason) {
      drop(reason, raw.feature);
      continue;
    }
    const lines = raw.lines
      .map((line) => line.filter((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90).map(convert))
      .filter((line) => line.length >= 2);
    if (lines.length === 0) {
      // An OSM way whose nodes the extract does not hold lies outside it.
      drop(osm && (raw.missingNodes ?? 0) > 0 ? 'outside-area' : 'bad-geometry', raw.feature);
      continue;
    }
    const pieces = lines.flatMap((line) => clipLine(line, area));
    if (pieces.length === 0) {
      drop('outside-area', raw.feature);
      continue;
    }
    const roadClass = cls!;
    if (!(roadClass in speeds)) unknown.set(roadClass, (unknown.get(roadClass) ?? 0) + 1);
    const kmh = roadSpeedKmh(roadClass, raw.tags.maxspeed, speeds);
    const direction = directionOf(raw.tags, roadClass);
    const name = raw.tags.name ?? raw.tags.NAME;
    const entry = byClass.get(roadClass) ?? { kmh: speeds[roadClass] ?? kmh, meters: 0, features: 0 };
    entry.features++;
    kept++;
    for (const piece of pieces) {
      const coordinates = direction === 'backward' ? [...piece].reverse() : piece;
      const meters = lineMeters(coordinates);
      entry.meters += meters;
      if (direction !== 'both') oneWayMeters += meters;
      features.push({
        type: 'Feature',
        properties: { class: roadClass, kmh, oneway: direction !== 'both', ...(name ? { name } : {}) },
        geometry: { type: 'LineString', coordinates },
      });
    }
    byClass.set(roadClass, entry);
  }
  const collection: RoadCollection = { type: 'FeatureCollection', features };
  const network = buildRoadNetwork(collection, speeds);
  const found = roadComponents(network);
  const [largest, ...others] = found.components;
  const largestShare = found.totalMeters > 0 ? (largest?.meters ?? 0) / found.totalMeters : 0;
  const islands = others.slice(0, ISLANDS).map((c, i) => ({ rank: i + 1, km: km(c.meters), vertices: c.vertices, at: c.at }));
  const warnings: string[] = [];
  if (features.length > 0 && largestShare < LARGEST_SHARE_WARNING) {
    warnings.push(
      `路网不连通：最大的连通部分只占道路总长的 ${Math.round(largestShare * 100)}%（共 ${found.components.length} 个部分），孤立部分上的车辆和村庄只能按非道路计算 (the network is in pieces)`,
    );
  }
  if (unknown.size > 0) {
    warnings.push(`${unknown.size} 种道路等级不在速度表中，按默认速度计算：${[...unknown.keys()].slice(0, 10).join('、')} (classes not in the speed table)`);
  }
  const preview: RoadPreview = {
    type: 'FeatureCollection',
    features: [
      ...features.map((f) => {
        const first = f.geometry.coordinates[0]!;
        const vertex = network.index!.get(`${first[0]},${first[1]}`);
        const c = vertex === undefined ? -1 : found.of[vertex]!;
        return {
          type: 'Feature' as const,
          properties: { kind: 'road' as const, class: f.properties.class, oneway: f.properties.oneway, component: c <= ISLANDS ? c : -1 },
          geometry: { type: 'LineString' as const, coordinates: f.geometry.coordinates.map(([x = 0, y = 0]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]) },
        };
      }),
      ...islands.map((i) => ({
        type: 'Feature' as const,
        properties: { kind: 'island' as const, rank: i.rank, km: i.km },
        geometry: { type: 'Point' as const, coordinates: i.at },
      })),
    ],
  };
  return {
    roads: collection,
    network,
    preview,
    warnings,
    summary: {
      read: roads.length,
      kept,
      dropped: roads.length - kept,
      km: km(found.totalMeters),
      oneWayKm: km(oneWayMeters),
      vertices: network.vertices.length,
      edges: network.edges.reduce((s, e) => s + e.length, 0),
    },
    dropped: [...dropped].map(([reason, list]) => ({ reason, count: list.length, examples: list.slice(0, 10) })).sort((a, b) => b.count - a.count),
    classes: [...byClass].map(([c, e]) => ({ class: c, kmh: e.kmh, km: km(e.meters), features: e.features })).sort((a, b) => b.km - a.km),
    unknownClasses: [...unknown].map(([c, features]) => ({ class: c, features })).sort((a, b) => b.features - a.features),
    components: { count: found.components.length, largestKm: km(largest?.meters ?? 0), largestShare: Math.round(largestShare * 1e4) / 1e4, islands },
  };
}
