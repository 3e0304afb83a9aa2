// 689 grids tiling the real outline: seed points (dense where people live,
// sparse in the desert), a Voronoi diagram, each cell clipped to the outline.
import { Delaunay } from 'd3-delaunay';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import type { GridProps } from '../../server/schema/index.ts';
import type { TownPlace, Village } from './gazetteer.ts';
import { bboxOf, M_PER_DEG_LAT, M_PER_DEG_LNG, outlineTester, roundPoint } from './geometry.ts';
import { personName } from './names.ts';

export const GRID_COUNT = 689;
export const COUNTY_POPULATION = 120_000;
/** Grids in the desert: few people, large areas. */
const DESERT_GRIDS = 120;

export interface PlacedVillage extends Village {
  center: [number, number];
  population: number;
}

export interface GridSeed {
  point: [number, number];
  village: PlacedVillage;
  desert: boolean;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

/** Villages around their town centre; communities close in, villages farther out. */
export function placeVillages(villages: Village[], towns: TownPlace[], inside: (x: number, y: number) => boolean, random: () => number): PlacedVillage[] {
  const townByCode = new Map(towns.map((t) => [t.code, t]));
  const seatTotal = 42_000;
  const weights = villages.map((v) => (v.townName === '渊泉镇' ? 0 : v.kind === 'community' ? 2.2 : 1) * (0.6 + 0.8 * random()));
  const seatCount = villages.filter((v) => v.townName === '渊泉镇').length;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const rest = COUNTY_POPULATION - seatTotal;
  const byTown = new Map<string, number>();
  return villages.map((v, i) => {
    const town = townByCode.get(v.townCode)!;
    const k = byTown.get(v.townCode) ?? 0;
    byTown.set(v.townCode, k + 1);
    const radiusM = v.kind === 'community' ? 600 + 500 * random() : 2500 + 4500 * random();
    let center: [number, number] = town.center;
    for (let attempt = 0; attempt < 50; attempt++) {
      const angle = k * 2.39996 + random() * 0.5; // golden-angle spread around the town
      const c: [number, number] = [
        town.center[0] + (Math.cos(angle) * radiusM) / M_PER_DEG_LNG,
        town.center[1] + (Math.sin(angle) * radiusM) / M_PER_DEG_LAT,
      ];
      if (inside(c[0], c[1])) {
        center = c;
        break;
      }
    }
    const population = v.townName === '渊泉镇' ? seatTotal / seatCount : (rest * weights[i]!) / weightSum;
    return { ...v, center, population };
  });
}

/** Seeds: populated grids scattered around their village, then desert seeds spread apart. */
export function makeSeeds(villages: PlacedVillage[], outline: Polygon, random: () => number): GridSeed[] {
  const inside = outlineTester(outline);
  const populated = GRID_COUNT - DESERT_GRIDS;
  const total = villages.reduce((a, v) => a + v.population, 0);
  // Largest-remainder apportionment of the populated grids, at least one per village.
  const quotas = villages.map((v) => Math.max(1, (populated * v.population) / total));
  const counts = quotas.map(Math.floor);
  let left = populated - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]!++;
  for (let k = order.length - 1; left < 0; k--, left++) if (counts[order[k]![1]]! > 1) counts[order[k]![1]]!--;

  const seeds: GridSeed[] = [];
  villages.forEach((village, i) => {
    const spreadM = village.kind === 'community' ? 450 : 1400;
    for (let n = 0; n < counts[i]!; n++) {
      for (let attempt = 0; ; attempt++) {
        const p: [number, number] = [
          village.center[0] + (gaussian(random) * spreadM) / M_PER_DEG_LNG,
          village.center[1] + (gaussian(random) * spreadM) / M_PER_DEG_LAT,
        ];
        if (inside(p[0], p[1]) || attempt > 100) {
          seeds.push({ point: inside(p[0], p[1]) ? p : village.center, village, desert: false });
          break;
        }
      }
    }
  });

  // Desert seeds: uniform in the outline, kept apart from every other seed; the spacing shrinks until all fit.
  const [minX, minY, maxX, maxY] = bboxOf(outline.coordinates);
  let spacingM = 16_000;
  while (seeds.length < GRID_COUNT) {
    let placed = false;
    for (let attempt = 0; attempt < 4000 && !placed; attempt++) {
      const p: [number, number] = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
      if (!inside(p[0], p[1])) continue;
      const far = seeds.every((s) => {
        const dx = (s.point[0] - p[0]) * M_PER_DEG_LNG;
        const dy = (s.point[1] - p[1]) * M_PER_DEG_LAT;
        return dx * dx + dy * dy > spacingM * spacingM;
      });
      if (far) {
        const village = nearestVillage(villages, p);
        seeds.push({ point: p, village, desert: true });
        placed = true;
      }
    }
    if (!placed) spacingM *= 0.9;
  }
  return seeds;
}

function nearestVillage(villages: PlacedVillage[], p: [number, number]): PlacedVillage {
  let best = villages[0]!;
  let bestD = Infinity;
  for (const v of villages) {
    const d = ((v.center[0] - p[0]) * M_PER_DEG_LNG) ** 2 + ((v.center[1] - p[1]) * M_PER_DEG_LAT) ** 2;
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best;
}

/** Voronoi cells of the seeds, each intersected with the outline; every coordinate rounded alike. */
export function clipCells(seeds: GridSeed[], outline: Polygon): (Polygon | MultiPolygon)[] {
  const inside = outlineTester(outline);
  const [minX, minY, maxX, maxY] = bboxOf(outline.coordinates);
  const pad = 0.05;
  const voronoi = Delaunay.from(seeds.map((s) => s.point)).voronoi([minX - pad, minY - pad, maxX + pad, maxY + pad]);
  const outlineRings = outline.coordinates as [number, number][][];
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as [number, number][];
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

/** Grid features: ids, names, populations summing to COUNTY_POPULATION, leads. */
export function gridFeatures(seeds: GridSeed[], cells: (Polygon | MultiPolygon)[], random: () => number): Feature<Polygon | MultiPolygon, GridProps>[] {
  const desertPop = seeds.map((s) => (s.desert ? Math.floor(random() * 51) : 0));
  const populatedTotal = COUNTY_POPULATION - desertPop.reduce((a, b) => a + b, 0);
  const weights = seeds.map((s) => (s.desert ? 0 : s.village.population * (0.5 + random())));
  const perVillage = new Map<string, number>();
  seeds.forEach((s, i) => perVillage.set(s.village.code, (perVillage.get(s.village.code) ?? 0) + weights[i]!));
  const villageTotal = [...new Set(seeds.map((s) => s.village))].reduce((a, v) => a + v.population, 0);
  const raw = seeds.map((s, i) =>
    s.desert ? 0 : (populatedTotal * (s.village.population / villageTotal) * weights[i]!) / perVillage.get(s.village.code)!,
  );
  const pops = raw.map(Math.floor);
  let left = populatedTotal - pops.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).filter(([, i]) => !seeds[i]!.desert).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) pops[order[k]![1]]!++;

  // Number grids within each village: populated first, then desert, west to east.
  const order2 = seeds.map((s, i) => i).sort((a, b) => {
    const sa = seeds[a]!, sb = seeds[b]!;
    return sa.village.code.localeCompare(sb.village.code) || Number(sa.desert) - Number(sb.desert) || sa.point[0] - sb.point[0];
  });
  const features: Feature<Polygon | MultiPolygon, GridProps>[] = [];
  const seq = new Map<string, number>();
  for (const i of order2) {
    const s = seeds[i]!;
    const n = (seq.get(s.village.code) ?? 0) + 1;
    seq.set(s.village.code, n);
    features.push({
      type: 'Feature',
      properties: {
        id: `G${s.village.code}-${String(n).padStart(2, '0')}`,
        name: `${s.village.shortName}第${n}网格`,
        villageCode: s.village.code,
        villageName: s.village.name,
        townCode: s.village.townCode,
        townName: s.village.townName,
        population: s.desert ? desertPop[i]! : pops[i]!,
        lead: personName(random),
      },
      geometry: cells[i]!,
    });
  }
  return features;
}
