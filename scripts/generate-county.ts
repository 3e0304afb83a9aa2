// `npm run generate [outDir]`: the sample county, generated deterministically
// from the real public data in ../shared/data/guazhou (seeded; rerunning
// reproduces the committed files byte for byte). See data/NOTICE.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Polygon } from 'geojson';
import { z } from 'zod';
import { createLocator } from '../server/geo/locator.ts';
import {
  Ambulance,
  DecontaminationPoint,
  GridProps,
  GridStatus,
  Hospital,
  IsolationHotel,
  SamplingPoint,
} from '../server/schema/index.ts';
import { mulberry32 } from '../server/simulator/random.ts';
import { readGazetteer } from './county/gazetteer.ts';
import { outlineTester, roundPoint } from './county/geometry.ts';
import { clipCells, gridFeatures, makeSeeds, placeVillages, type GridSeed } from './county/grids.ts';
import { makeRoads } from './county/roads.ts';
import { makeSites } from './county/sites.ts';

export const SOURCE_DIR = fileURLToPath(new URL('../../shared/data/guazhou/', import.meta.url));
const SEED = 620922;

function write(dir: string, file: string, value: unknown): void {
  writeFileSync(join(dir, file), `${JSON.stringify(value, null, 1)}\n`);
}

export function generateCounty(outDir: string, sourceDir = SOURCE_DIR): void {
  const random = mulberry32(SEED);
  const source = JSON.parse(readFileSync(join(sourceDir, 'county-boundary.geojson'), 'utf8')) as FeatureCollection<Polygon>;
  const feature = source.features[0]!;
  const outline: Polygon = { type: 'Polygon', coordinates: feature.geometry.coordinates.map((r) => r.map(roundPoint)) };
  const inside = outlineTester(outline);
  const { villages, towns } = readGazetteer(join(sourceDir, 'admin-divisions.csv'));
  for (const t of towns) if (!inside(...t.center)) throw new Error(`town centre of ${t.name} lies outside the outline`);

  const placed = placeVillages(villages, towns, inside, random);
  const seeds = makeSeeds(placed, outline, random);
  const cells = clipCells(seeds, outline);
  const grids = gridFeatures(seeds, cells, random);
  const gridsFc = { type: 'FeatureCollection' as const, features: grids };
  const locator = createLocator(gridsFc);
  // gridFeatures reorders; map each grid back to its seed by containment of the seed point.
  const seedOf = new Map<string, GridSeed>();
  for (const s of seeds) {
    const g = locator.locate(s.point[0], s.point[1]);
    if (g && !seedOf.has(g.id)) seedOf.set(g.id, s);
  }
  const roads = makeRoads(towns, random, inside);
  const sites = makeSites({ grids, seedOf, towns, roads, locator, random });

  // Validate everything against the schema module before writing a byte.
  grids.forEach((g) => GridProps.parse(g.properties));
  const liveSeed = {
    gridStatus: z.array(GridStatus).parse(sites.gridStatus),
    samplingPoints: z.array(SamplingPoint).parse(sites.samplingPoints),
    hotels: z.array(IsolationHotel).parse(sites.hotels),
    hospitals: z.array(Hospital).parse(sites.hospitals),
    ambulances: z.array(Ambulance).parse(sites.ambulances),
  };
  const decon = z.array(DecontaminationPoint).parse(sites.decontaminationPoints);

  mkdirSync(outDir, { recursive: true });
  write(outDir, 'county.geojson', {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { adcode: feature.properties?.adcode, name: feature.properties?.name }, geometry: outline }],
  });
  write(outDir, 'towns.json', towns);
  writeFileSync(join(outDir, 'grids.geojson'), `${JSON.stringify(gridsFc)}\n`);
  write(outDir, 'roads.geojson', roads);
  write(outDir, 'live-seed.json', liveSeed);
  write(outDir, 'decontamination-points.json', decon);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? 'data/guazhou';
  const t0 = Date.now();
  generateCounty(outDir);
  console.log(`generated the sample county into ${outDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
