// `npm run generate [outDir]` (default data/guazhou): the sample county,
// generated deterministically from the real public data in
// data/sources/guazhou (seeded; rerunning reproduces the files byte for
// byte). What is real and what is sample: data/NOTICE.md.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Polygon } from 'geojson';
import { z } from 'zod';
import { Ambulance, DecontaminationPoint, GridProps, GridStatus, Hospital, IsolationHotel, SamplingPoint, Town } from '../server/schema/index.ts';
import { gridAdjacency, gridLookup } from './county/containment.ts';
import { readGazetteer } from './county/gazetteer.ts';
import { outlineTester, roundPoint } from './county/geometry.ts';
import { mulberry32 } from './county/prng.ts';
import { initialRisk } from './county/risk.ts';
import { makeRoads } from './county/roads.ts';
import { makeSeeds, placeVillages } from './county/seeds.ts';
import { makeSites } from './county/sites.ts';
import { clipCells, gridFeatures } from './county/voronoi-grids.ts';
import { writeJson } from './county/write.ts';

export const SOURCE_DIR = fileURLToPath(new URL('../data/sources/guazhou/', import.meta.url));
/** The county's admin code: any fixed number would do, this one is easy to recognise. */
const SEED = 620922;

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
  const { features: grids, seedOf } = gridFeatures(seeds, cells, random);
  const roads = makeRoads(towns, random, inside);
  const gridAt = gridLookup(grids);
  const sites = makeSites({ grids, seedOf, towns, roads, gridAt, random });
  const gridStatus = initialRisk(grids, gridAdjacency(grids), random);

  // Validate everything against the schema module before writing a byte.
  grids.forEach((g) => GridProps.parse(g.properties));
  const liveSeed = {
    gridStatus: z.array(GridStatus).parse(gridStatus),
    samplingPoints: z.array(SamplingPoint).parse(sites.samplingPoints),
    hotels: z.array(IsolationHotel).parse(sites.hotels),
    hospitals: z.array(Hospital).parse(sites.hospitals),
    ambulances: z.array(Ambulance).parse(sites.ambulances),
  };
  const decontaminationPoints = z.array(DecontaminationPoint).parse(sites.decontaminationPoints);

  mkdirSync(outDir, { recursive: true });
  writeJson(outDir, 'county.geojson', {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { adcode: feature.properties?.adcode as number, name: feature.properties?.name as string }, geometry: outline }],
  });
  writeJson(outDir, 'towns.json', z.array(Town).parse(towns));
  writeJson(outDir, 'grids.geojson', { type: 'FeatureCollection', features: grids });
  writeJson(outDir, 'roads.geojson', roads);
  writeJson(outDir, 'live-seed.json', liveSeed);
  writeJson(outDir, 'decontamination-points.json', decontaminationPoints);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? 'data/guazhou';
  const t0 = performance.now();
  generateCounty(outDir);
  console.log(`generated the sample county into ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
