// The county the board serves: static geometry and gazetteer, loaded once from
// data/ and validated, plus the containment service built over its grids.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import {
  Ambulance,
  DecontaminationPoint,
  GridProps,
  GridStatus,
  Hospital,
  IsolationHotel,
  SamplingPoint,
  Town,
  type CountyResponse,
  type GridCollection,
} from '../schema/index.ts';
import { createLocator, type Locator } from '../geo/locator.ts';

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
    osmandId: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII, 1–64 characters').optional(),
    ambulanceId: z.string().min(1),
    terminalId: z.string().min(1).max(30).optional(),
    plate: z.string().min(1).max(20).optional(),
    osmandKeyHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the device key, 64 hex digits').optional(),
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
  return {
    outline: parse(GeoJsonFeatureCollection, outline, 'county.geojson') as FeatureCollection<Polygon | MultiPolygon>,
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
