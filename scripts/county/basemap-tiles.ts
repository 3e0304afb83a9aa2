// The county's own basemap as vector tiles in one PMTiles file (basemap.pmtiles), made from its
// data files alone (a pure function of them, so any change to how roads or grids are generated
// is picked up by building again): the outline (a `county` polygon and a `boundary` line), roads
// by class (`transportation`, with their names in `transportation_name`), town and village names
// (`place`), and water when the data has a water.geojson. Layer and class names follow the
// OpenMapTiles schema that planetiler and tilemaker write, so one style draws either.
// Tiles are cut with geojson-vt and encoded with vt-pbf, zoom 0 to MAX_ZOOM (the map overzooms).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { area, booleanPointInPolygon, centerOfMass } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { Compression, TileType, writePmtiles, type ArchiveTile } from './pmtiles-writer.ts';

export const BASEMAP_FILE = 'basemap.pmtiles';
export const MAX_ZOOM = 12;
const EXTENT = 4096;

/** Road classes as OpenMapTiles' `transportation` layer names them. */
export function roadClass(cls: unknown): string {
  const c = typeof cls === 'string' ? cls.replace(/_link$/, '') : '';
  const chinese: Record<string, string> = { expressway: 'motorway', national: 'trunk', provincial: 'primary', county: 'secondary' };
  if (chinese[c]) return chinese[c];
  if (['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'service', 'track'].includes(c)) return c;
  return 'minor';
}

/** A village's label without its committee's suffix: 疏勒社区居委会 → 疏勒社区. */
export const villageLabel = (name: string): string => name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, '');

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const point = (coordinates: number[], properties: Record<string, unknown>): Feature<Point> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [round6(coordinates[0]!), round6(coordinates[1]!)] },
});

type GridFeature = Feature<Polygon | MultiPolygon, { villageCode: string; villageName: string }>;

/** Each village's label point: the centre of mass of its grids, or of its largest grid when that centre falls outside them. */
export function villagePoints(grids: FeatureCollection): Feature<Point>[] {
  const byVillage = new Map<string, GridFeature[]>();
  for (const g of grids.features as GridFeature[]) {
    const code = g.properties?.villageCode;
    if (typeof code !== 'string' || typeof g.properties.villageName !== 'string') continue;
    byVillage.set(code, [...(byVillage.get(code) ?? []), g]);
  }
  return [...byVillage.keys()].sort().map((code) => {
    const own = byVillage.get(code)!;
    const centre = centerOfMass({ type: 'FeatureCollection', features: own }).geometry.coordinates;
    const inside = own.some((g) => booleanPointInPolygon(centre, g));
    const largest = own.reduce((a, b) => (area(b) > area(a) ? b : a));
    const at = inside ? centre : centerOfMass(largest).geometry.coordinates;
    return point(at, { class: 'village', name: villageLabel(own[0]!.properties.villageName), rank: 3 });
  });
}

interface Town {
  name: string;
  center: [number, number];
  seat?: boolean;
}

export interface BasemapLayers {
  [layer: string]: Feature[];
}

/** The tiles' layers from the data files of a county directory. */
export function basemapLayers(dataDir: string): BasemapLayers {
  const read = <T>(file: string) => JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as T;
  const county = read<FeatureCollection<Polygon | MultiPolygon>>('county.geojson');
  const roads = read<FeatureCollection<Geometry>>('roads.geojson');
  const towns = read<Town[]>('towns.json');
  const grids = read<FeatureCollection>('grids.geojson');
  const outline = county.features.map((f) => ({ type: 'Feature' as const, properties: { name: String(f.properties?.name ?? '') }, geometry: f.geometry }));
  const rings = outline.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).map((poly) => poly[0]!));
  const lines = roads.features.filter((f) => f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString');
  const layers: BasemapLayers = {
    county: outline,
    boundary: rings.map((ring): Feature<LineString> => ({ type: 'Feature', properties: { admin_level: 6 }, geometry: { type: 'LineString', coordinates: ring } })),
    transportation: lines.map((f) => ({ type: 'Feature', properties: { class: roadClass(f.properties?.class) }, geometry: f.geometry })),
    transportation_name: lines
      .filter((f) => typeof f.properties?.name === 'string' && f.properties.name !== '')
      .map((f) => ({ type: 'Feature', properties: { class: roadClass(f.properties?.class), name: String(f.properties!.name) }, geometry: f.geometry })),
    place: [...towns.map((t) => point(t.center, { class: 'town', name: t.name, rank: t.seat ? 1 : 2 })), ...villagePoints(grids)],
  };
  // Rivers and lakes, when the county's data has them (OpenStreetMap water, or a GIS layer).
  if (existsSync(join(dataDir, 'water.geojson'))) {
    const water = read<FeatureCollection<Geometry>>('water.geojson').features;
    layers.water = water.filter((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon').map((f) => ({ ...f, properties: { class: 'lake' } }));
    layers.waterway = water
      .filter((f) => f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString')
      .map((f) => ({ ...f, properties: { class: 'river', name: String(f.properties?.name ?? '') } }));
  }
  return layers;
}

function boundsOf(layers: BasemapLayers): [number, number, number, number] {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const features of Object.values(layers)) for (const f of features) if (f.geometry.type !== 'GeometryCollection') visit(f.geometry.coordinates);
  return [w, s, e, n];
}

const lngToX = (lng: number, z: number) => Math.floor(((lng + 180) / 360) * 2 ** z);
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** The PMTiles archive of these layers: gzip MVT tiles, zoom 0 to MAX_ZOOM, empty tiles left out. */
export function basemapArchive(layers: BasemapLayers, name: string): Buffer {
  const names = Object.keys(layers).filter((l) => layers[l]!.length > 0);
  const indexes = names.map(
    (l) => [l, new GeoJSONVT({ type: 'FeatureCollection', features: layers[l]! }, { maxZoom: MAX_ZOOM, indexMaxZoom: 5, extent: EXTENT, buffer: 64 })] as const,
  );
  const bounds = boundsOf(layers);
  const tiles: ArchiveTile[] = [];
  for (let z = 0; z <= MAX_ZOOM; z++) {
    const max = 2 ** z - 1;
    const [x0, x1] = [Math.max(0, lngToX(bounds[0], z)), Math.min(max, lngToX(bounds[2], z))];
    const [y0, y1] = [Math.max(0, latToY(bounds[3], z)), Math.min(max, latToY(bounds[1], z))];
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const found: Record<string, ReturnType<GeoJSONVT['getTile']>> = {};
        for (const [layer, index] of indexes) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length > 0) found[layer] = tile;
        }
        if (Object.keys(found).length === 0) continue;
        const mvt = vtpbf.fromGeojsonVt(found, { version: 2, extent: EXTENT });
        tiles.push({ z, x, y, data: gzipSync(mvt, { level: 9 }) });
      }
    }
  }
  const vectorLayers = names.map((id) => ({
    id,
    fields: Object.fromEntries(Object.keys(layers[id]![0]!.properties ?? {}).map((k) => [k, typeof layers[id]![0]!.properties![k] === 'number' ? 'Number' : 'String'])),
    minzoom: 0,
    maxzoom: MAX_ZOOM,
  }));
  return writePmtiles({
    tiles,
    tileType: TileType.mvt,
    tileCompression: Compression.gzip,
    bounds,
    center: [round6((bounds[0] + bounds[2]) / 2), round6((bounds[1] + bounds[3]) / 2)],
    centerZoom: 8,
    metadata: {
      name,
      type: 'baselayer',
      format: 'pbf',
      description: "Built by npm run county from the county's data files (scripts/county/basemap-tiles.ts)",
      vector_layers: vectorLayers,
    },
  });
}

/** Writes dataDir/basemap.pmtiles from the data files in dataDir; returns its size in bytes. */
export function writeBasemap(dataDir: string): number {
  const county = JSON.parse(readFileSync(join(dataDir, 'county.geojson'), 'utf8')) as FeatureCollection;
  const archive = basemapArchive(basemapLayers(dataDir), `${String(county.features[0]?.properties?.name ?? '')} basemap`);
  writeFileSync(join(dataDir, BASEMAP_FILE), archive);
  return archive.length;
}
