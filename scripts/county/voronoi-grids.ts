// Grids tiling the real outline: the Voronoi diagram of the seeds, each cell
// intersected with the outline, then ids, names, populations and grid leads.
import { Delaunay } from 'd3-delaunay';
import type { MultiPolygon, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import type { GridFeature } from '../../server/schema/index.ts';
import { bboxOf, outlineTester, roundPoint } from './geometry.ts';
import { personName } from './names.ts';
import { apportion, int, type Random } from './prng.ts';
import type { GridSeed } from './seeds.ts';

export type { GridFeature };

/** Voronoi cells of the seeds, each intersected with the outline; every coordinate rounded alike. */
export function clipCells(seeds: GridSeed[], outline: Polygon): (Polygon | MultiPolygon)[] {
  const inside = outlineTester(outline);
  const [minX, minY, maxX, maxY] = bboxOf(outline.coordinates);
  const pad = 0.05;
  const voronoi = Delaunay.from(seeds.map((s) => s.point)).voronoi([minX - pad, minY - pad, maxX + pad, maxY + pad]);
  const outlineRings = outline.coordinates as [number, number][][];
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as [number, number][] | null;
    // A seed that coincides with another has no cell: fail loudly rather than lose a grid.
    if (!cell) throw new Error(`seed ${i} has no Voronoi cell (duplicate point?)`);
    const [cx0, cy0, cx1, cy1] = bboxOf([cell]);
    // A cell wholly inside the outline, with no outline vertex in its box, needs no clipping.
    const outlineNear = outlineRings[0]!.some(([x, y]) => x >= cx0 && x <= cx1 && y >= cy0 && y <= cy1);
    if (!outlineNear && cell.every(([x, y]) => inside(x, y))) {
      return { type: 'Polygon', coordinates: [dedupe(cell.map(roundPoint))] };
    }
    const clipped = polygonClipping.intersection([cell], outlineRings);
    const parts = clipped.map((poly) => poly.map((ring) => dedupe(ring.map(roundPoint)))).filter((p) => p[0]!.length >= 4);
    if (parts.length === 0) throw new Error(`cell ${i} vanished when clipped`);
    return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
  });
}

/** Drops consecutive repeated vertices that rounding created; keeps the ring closed. */
function dedupe(ring: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/**
 * Grid features, numbered within each village (populated first, then desert,
 * west to east), with populations summing to the county's. Returns each
 * grid's seed too: the seed lies inside its own cell, a handy site location.
 */
export function gridFeatures(seeds: GridSeed[], cells: (Polygon | MultiPolygon)[], random: Random, population: number): { features: GridFeature[]; seedOf: Map<string, GridSeed> } {
  // A village whose populated seeds all went to a neighbour still has people: its grids count as populated.
  const hasPopulated = new Set(seeds.filter((s) => !s.desert).map((s) => s.village.code));
  const lived = seeds.map((s) => !s.desert || !hasPopulated.has(s.village.code));
  const desertPop = seeds.map((_, i) => (lived[i] ? 0 : int(random, 0, 50)));
  const perVillage = new Map<string, number>();
  seeds.forEach((s, i) => lived[i] && perVillage.set(s.village.code, (perVillage.get(s.village.code) ?? 0) + 1));
  // Grid weight: the village's people shared among its grids, unevenly.
  const weights = seeds.map((s, i) => (lived[i] ? (s.village.population / perVillage.get(s.village.code)!) * (0.5 + random()) : 0));
  const pops = apportion(weights, population - desertPop.reduce((a, b) => a + b, 0));

  const order = seeds
    .map((_, i) => i)
    .sort((a, b) => {
      const sa = seeds[a]!,
        sb = seeds[b]!;
      return sa.village.code.localeCompare(sb.village.code) || Number(!lived[a]) - Number(!lived[b]) || sa.point[0] - sb.point[0] || sa.point[1] - sb.point[1];
    });
  const features: GridFeature[] = [];
  const seedOf = new Map<string, GridSeed>();
  const seq = new Map<string, number>();
  for (const i of order) {
    const s = seeds[i]!;
    const n = (seq.get(s.village.code) ?? 0) + 1;
    seq.set(s.village.code, n);
    const id = `G${s.village.code}-${String(n).padStart(2, '0')}`;
    seedOf.set(id, s);
    features.push({
      type: 'Feature',
      properties: {
        id,
        name: `${s.village.shortName}第${n}网格`,
        villageCode: s.village.code,
        villageName: s.village.name,
        townCode: s.village.townCode,
        townName: s.village.townName,
        population: lived[i] ? pops[i]! : desertPop[i]!,
        lead: personName(random),
      },
      geometry: cells[i]!,
    });
  }
  return { features, seedOf };
}
