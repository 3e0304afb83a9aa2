// The county the board serves: static geometry and gazetteer, loaded once from
// data/ and validated, plus the containment service built over its grids.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { pinyin } from 'pinyin-pro';
import {
  Ambulance,
  DecontaminationPoint,
  GridProps,
  GridStatus,
  Hospital,
  IsolationHotel,
  SamplingPoint,
  Town,
  type CountyInfo,
  type CountyResponse,
  type GridCollection,
} from '../schema/index.ts';
import { createLocator, type Locator } from '../geo/locator.ts';
import { ETHNIC_SUFFIX } from './ethnic.ts';

/** The initial live state shipped with the sample county. */
export const LiveSeed = z.object({
  gridStatus: z.array(GridStatus),
  samplingPoints: z.array(SamplingPoint),
  hotels: z.array(IsolationHotel),
  hospitals: z.array(Hospital),
  ambulances: z.array(Ambulance),
});
export type LiveSeed = z.infer<typeof LiveSeed>;

const GeoJsonFeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.any()) });

export interface County extends CountyResponse {
  grids: GridCollection;
  /** The grids as JSON text, serialised once. */
  gridsJson: string;
  seed: LiveSeed;
  locator: Locator<GridProps>;
  /** JT/T 808 terminals by phone number (terminalKey) → their binding; empty when the county has none. */
  terminals: Map<string, TerminalBinding>;
  /** OsmAnd devices by their device id exactly as configured (osmandId, else the phone as written): another kind of identity, never matched to a phone by stripping zeros. */
  osmandDevices: Map<string, TerminalBinding>;
}

/**
 * A JT/T 808 terminal's phone number without leading zeros: the 2013 header pads it to 12
 * digits, 2019 to 20. An identity that is not BCD (`x` + hex, a binary IMEI) is kept whole.
 * OsmAnd device ids are another kind and are never matched through this (see osmandDevices).
 */
export const terminalKey = (phone: string): string => phone.replace(/^0+/, '');

/**
 * terminals.json: which vehicle terminal (by its phone number) is in which ambulance, and
 * what proves it is that terminal: the terminal id and/or plate a JT/T 808 registration
 * must name (without either, the first registration binds the terminal), and for a phone
 * reporting over OsmAnd the SHA-256 (hex) of its device key (`npx tsx scripts/devices.ts key PHONE`).
 */
export const TerminalMapping = z.array(
  z.object({
    /** The JT/T 808 identity: the phone number's digits, or `x` + the 6 or 10 bytes in hex a device sends in its place. */
    phone: z.string().regex(/^(\d{1,20}|x[0-9a-f]{12}|x[0-9a-f]{20})$/, 'digits, or x and 12 or 20 hex digits'),
    /** The phone's OsmAnd / Traccar Client device id, matched exactly (default: the phone as written). */
    osmandId: z
      .string()
      .regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII, 1–64 characters')
      .optional(),
    ambulanceId: z.string().min(1),
    terminalId: z.string().min(1).max(30).optional(),
    plate: z.string().min(1).max(20).optional(),
    osmandKeyHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the device key, 64 hex digits')
      .optional(),
  }),
);
export type TerminalBinding = Omit<z.infer<typeof TerminalMapping>[number], 'phone'>;

async function readJson(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file);
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${what} is invalid: ${first.join('; ')}`);
  }
  return result.data;
}

/** The properties county.geojson gives its outline (name required; the rest has defaults). */
const OutlineProps = z.object({
  adcode: z.union([z.number(), z.string()]).optional(),
  name: z.string().min(1),
  center: z.tuple([z.number(), z.number()]).optional(),
  timeZone: z.string().min(1).optional(),
});

const SUFFIX_EN: [RegExp, string][] = [
  [/自治县$/, 'Autonomous County'],
  [/自治旗$/, 'Autonomous Banner'],
  [/县$/, 'County'],
  [/市$/, 'City'],
  [/区$/, 'District'],
  [/旗$/, 'Banner'],
];

/** 瓜州县 → Guazhou County; 阿克塞哈萨克族自治县 → Akesai Autonomous County. */
export function englishName(name: string): string {
  const [re, suffix] = SUFFIX_EN.find(([r]) => r.test(name)) ?? [/$/, ''];
  const stem = name.replace(re, '').replace(ETHNIC_SUFFIX, '') || name;
  const latin = pinyin(stem, { toneType: 'none', type: 'array' }).join('');
  return `${latin.charAt(0).toUpperCase()}${latin.slice(1)}${suffix ? ` ${suffix}` : ''}`;
}

/** Who the county is, from its outline: name, code, centre, bounds and time zone. */
export function countyInfo(outline: FeatureCollection<Polygon | MultiPolygon>): CountyInfo {
  const props = parse(OutlineProps, outline.features[0]?.properties, 'county.geojson feature 0 properties');
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const f of outline.features) {
    for (const poly of f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) {
      for (const [x = 0, y = 0] of poly.flat()) {
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
    }
  }
  if (!Number.isFinite(w)) throw new Error('county.geojson: the outline has no coordinates');
  return {
    code: props.adcode === undefined ? '' : String(props.adcode),
    name: props.name,
    nameEn: englishName(props.name),
    center: props.center ?? [(w + e) / 2, (s + n) / 2],
    bounds: [w, s, e, n],
    // Every county of China keeps Beijing time.
    timeZone: props.timeZone ?? 'Asia/Shanghai',
  };
}

export async function loadCounty(dataDir: string): Promise<County> {
  const [outline, gridsRaw, towns, roads, decon, seed] = await Promise.all([
    readJson(dataDir, 'county.geojson'),
    readJson(dataDir, 'grids.geojson'),
    readJson(dataDir, 'towns.json'),
    readJson(dataDir, 'roads.geojson'),
    readJson(dataDir, 'decontamination-points.json'),
    readJson(dataDir, 'live-seed.json'),
  ]);
  const terminals = existsSync(join(dataDir, 'terminals.json')) ? await readJson(dataDir, 'terminals.json') : [];
  const grids = parse(GeoJsonFeatureCollection, gridsRaw, 'grids.geojson') as GridCollection;
  grids.features.forEach((f, i) => parse(GridProps, f.properties, `grids.geojson feature ${i} properties`));
  const outlineFc = parse(GeoJsonFeatureCollection, outline, 'county.geojson') as FeatureCollection<Polygon | MultiPolygon>;
  return {
    info: countyInfo(outlineFc),
    outline: outlineFc,
    grids,
    gridsJson: JSON.stringify(grids),
    towns: parse(z.array(Town), towns, 'towns.json'),
    roads: parse(GeoJsonFeatureCollection, roads, 'roads.geojson') as FeatureCollection<LineString>,
    decontaminationPoints: parse(z.array(DecontaminationPoint), decon, 'decontamination-points.json'),
    seed: parse(LiveSeed, seed, 'live-seed.json'),
    locator: createLocator(grids),
    ...terminalMaps(parse(TerminalMapping, terminals, 'terminals.json')),
  };
}

/** The two identity maps of terminals.json: JT/T 808 phones (zeros stripped within that kind) and OsmAnd ids (exact). */
export function terminalMaps(entries: z.infer<typeof TerminalMapping>): Pick<County, 'terminals' | 'osmandDevices'> {
  return {
    terminals: new Map(entries.map(({ phone, ...binding }) => [terminalKey(phone), binding])),
    osmandDevices: new Map(entries.map(({ phone, ...binding }) => [binding.osmandId ?? phone, binding])),
  };
}
