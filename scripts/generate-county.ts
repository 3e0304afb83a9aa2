// `npm run county -- --code <6-digit county code> --out <dir> [--grids N]`: a complete sample
// county for any county-level division of China, generated deterministically (seeded by its
// code) from its real outline, towns and villages (scripts/county/sources.ts).
// `npm run generate [outDir]` is the same for 620922 into data/guazhou: rerunning reproduces
// the committed sample byte for byte. What is real and what is sample: data/NOTICE.md.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Polygon } from 'geojson';
import { z } from 'zod';
import { TerminalMapping } from '../server/county/county.ts';
import { Ambulance, DecontaminationPoint, GridProps, GridStatus, Hospital, IsolationHotel, SamplingPoint, Town } from '../server/schema/index.ts';
import { gridAdjacency, gridLookup } from './county/containment.ts';
import { writeBasemap } from './county/basemap-tiles.ts';
import { readGazetteer } from './county/gazetteer.ts';
import { outlineTester, roundPoint, useLatitude } from './county/geometry.ts';
import { mainPolygon, planCounty, type CountyPlan } from './county/plan.ts';
import { mulberry32 } from './county/prng.ts';
import { initialRisk } from './county/risk.ts';
import { addLocalRoads } from './county/local-roads.ts';
import { makeRoads } from './county/roads.ts';
import { makeSeeds, placeVillages } from './county/seeds.ts';
import { makeSites } from './county/sites.ts';
import { readSources, type CountySources } from './county/sources.ts';
import { clipCells, gridFeatures } from './county/voronoi-grids.ts';
import { writeJson } from './county/write.ts';

export const GUAZHOU_CODE = '620922';
/** Every county in China keeps Beijing time; the board reads it from county.geojson. */
const TIME_ZONE = 'Asia/Shanghai';

export interface GenerateOptions {
  /** The 6-digit county code (default 620922, 瓜州县). */
  code?: string;
  grids?: number;
  /** Already read sources (default: readSources(code)). */
  sources?: CountySources;
}

export interface GenerateSummary {
  code: string;
  name: string;
  towns: number;
  villages: number;
  grids: number;
  /** Parts of a multipolygon outline left out (islands, enclaves), and their share of its area. */
  droppedParts: number;
  droppedShare: number;
  from: string;
  /** The size of basemap.pmtiles. */
  basemapBytes: number;
}

export function generateCounty(outDir: string, options: GenerateOptions = {}): GenerateSummary {
  const code = options.code ?? GUAZHOU_CODE;
  const sources = options.sources ?? readSources(code);
  const plan: CountyPlan = planCounty(sources, { grids: options.grids });
  useLatitude(plan.latitude);
  // The admin code seeds everything: the same county always comes out the same.
  const random = mulberry32(Number(code));
  const feature = sources.outline;
  // A multipolygon county (islands, an enclave) is generated on its largest polygon.
  const { polygon, dropped, droppedShare } = mainPolygon(feature);
  const outline: Polygon = { type: 'Polygon', coordinates: polygon.coordinates.map((r) => r.map(roundPoint)) };
  const inside = outlineTester(outline);
  const { villages, towns } = readGazetteer(sources.rows, plan.townCentres, plan.seat);
  for (const t of towns) if (!inside(...t.center)) throw new Error(`town centre of ${t.name} lies outside the outline`);

  const placed = placeVillages(villages, towns, inside, random, plan);
  const seeds = makeSeeds(placed, outline, random, plan);
  const cells = clipCells(seeds, outline);
  const { features: grids, seedOf } = gridFeatures(seeds, cells, random, plan.population);
  const trunks = makeRoads(towns, plan.trunks, random, inside);
  // Local roads draw from their own sequence: they change no site, grid or risk.
  const roads = addLocalRoads({ roads: trunks, towns, villages: placed, grids: { type: 'FeatureCollection', features: grids }, random: mulberry32(Number(code) ^ 0x2f6b), inside });
  const gridAt = gridLookup(grids);
  const sites = makeSites({ grids, seedOf, towns, roads, gridAt, random, plan: plan.sites });
  const gridStatus = initialRisk(grids, gridAdjacency(grids), random, plan.seat, plan.secondTown);

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
  // One vehicle terminal per ambulance, phones 013900000001 on (sample numbers).
  const terminals = TerminalMapping.parse(
    sites.ambulances.map((a, i) => ({
      phone: `0139${String(i + 1).padStart(8, '0')}`,
      ambulanceId: a.id,
      terminalId: `${plan.terminalPrefix}${String(i + 1).padStart(5, '0')}`,
    })),
  );

  mkdirSync(outDir, { recursive: true });
  writeJson(outDir, 'county.geojson', {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { adcode: feature.properties.adcode, name: feature.properties.name, center: roundPoint(feature.properties.center), timeZone: TIME_ZONE },
        geometry: outline,
      },
    ],
  });
  writeJson(outDir, 'towns.json', z.array(Town).parse(towns));
  writeJson(outDir, 'grids.geojson', { type: 'FeatureCollection', features: grids });
  writeJson(outDir, 'roads.geojson', roads);
  writeJson(outDir, 'live-seed.json', liveSeed);
  writeJson(outDir, 'decontamination-points.json', decontaminationPoints);
  writeJson(outDir, 'terminals.json', terminals);
  // The basemap last, from the files just written (it depends on nothing else).
  const basemapBytes = writeBasemap(outDir);
  return {
    basemapBytes,
    code,
    name: feature.properties.name,
    towns: towns.length,
    villages: villages.length,
    grids: grids.length,
    droppedParts: dropped,
    droppedShare,
    from: sources.from,
  };
}

const USAGE = 'usage: npm run county -- --code <6-digit county code> --out <dir> [--grids N]\n       npm run generate [outDir]   (瓜州县 620922 into data/guazhou)';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { code: { type: 'string' }, out: { type: 'string' }, grids: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const code = values.code ?? GUAZHOU_CODE;
  const outDir = values.out ?? positionals[0] ?? (code === GUAZHOU_CODE ? 'data/guazhou' : undefined);
  const grids = values.grids === undefined ? undefined : Number(values.grids);
  if (!/^\d{6}$/.test(code) || !outDir || (grids !== undefined && !(Number.isInteger(grids) && grids > 0))) {
    console.error(USAGE);
    process.exit(2);
  }
  const t0 = performance.now();
  try {
    const s = generateCounty(outDir, { code, grids });
    console.log(
      `generated ${s.name} (${s.code}) into ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${s.towns} towns, ${s.villages} villages and communities, ${s.grids} grids (from ${s.from}), basemap.pmtiles ${(s.basemapBytes / 1024).toFixed(0)} KiB`,
    );
    if (s.droppedParts)
      console.log(
        `  the outline is a multipolygon: generated on its largest polygon, ${s.droppedParts} other part(s) (${(s.droppedShare * 100).toFixed(1)} % of the area) left out`,
      );
    console.log(`  run the board on it: DATA_DIR=${outDir} npm start`);
  } catch (err) {
    console.error(`cannot generate county ${code}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
