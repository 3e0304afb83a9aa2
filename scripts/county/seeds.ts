// Where the grid seeds go: villages placed around their town centre, several
// seeds per village by population, then desert seeds that grow sparser with
// distance from where people live (so cell sizes grade from oasis to desert).
import type { Polygon } from 'geojson';
import type { TownPlace, Village } from './gazetteer.ts';
import { bboxOf, dist2, offset, outlineTester, type Pt } from './geometry.ts';
import type { CountyPlan } from './plan.ts';
import { apportion, type Random } from './prng.ts';

export interface PlacedVillage extends Village {
  center: Pt;
  /** A relative weight; grid populations are scaled to the county total later. */
  population: number;
}

export interface GridSeed {
  point: Pt;
  village: PlacedVillage;
  desert: boolean;
}

/** People per grid aimed at: town-seat grids are dense, rural grids small. */
const capacity = (v: Village, seat: string): number => (v.townName === seat ? 1100 : v.kind === 'community' ? 600 : 160);
/** Area of one populated cell, km²: a few blocks in town, a spread of fields in a village. */
const cellKm2 = (v: Village, seat: string): number => (v.townName === seat ? 0.5 : v.kind === 'community' ? 0.5 : 3);

function populationOf(v: Village, plan: CountyPlan, random: Random): number {
  if (v.townName === plan.seat) return 7000; // Guazhou: 6 communities, 42,000 people in the county town
  if (v.kind === 'community') return v.townName === plan.secondTown ? 3500 + 1500 * random() : 1200 + 1200 * random();
  return 450 + 900 * random();
}

/** Villages around their town centre: communities close in, villages out in the fields (squeezed to a belt where the plan says so). */
export function placeVillages(villages: Village[], towns: TownPlace[], inside: (x: number, y: number) => boolean, random: Random, plan: CountyPlan): PlacedVillage[] {
  const { ringM, spreadM, squeeze, spacingM } = plan.villages;
  const townByCode = new Map(towns.map((t) => [t.code, t]));
  const placed: PlacedVillage[] = [];
  const byTown = new Map<string, number>();
  for (const v of villages) {
    const town = townByCode.get(v.townCode)!;
    const k = byTown.get(v.townCode) ?? 0;
    byTown.set(v.townCode, k + 1);
    let center: Pt | null = null;
    for (let attempt = 0; attempt < 60 && !center; attempt++) {
      const r = v.kind === 'community' ? 500 + 700 * random() : ringM + spreadM * random() + attempt * 50;
      // Golden-angle spread around the town (Guazhou: villages squeezed north–south, the oasis runs west–east).
      const angle = k * 2.39996 + random() * 0.6;
      const p = offset(town.center, r, angle);
      const c: Pt = v.kind === 'village' ? [p[0], town.center[1] + (p[1] - town.center[1]) * squeeze] : p;
      const tooClose = placed.some((o) => dist2(o.center, c) < (v.kind === 'village' && o.kind === 'village' ? spacingM ** 2 : 400 ** 2));
      if (inside(c[0], c[1]) && !tooClose) center = c;
    }
    // Crowded (many villages, a small or thin outline): any free point inside, nearer the town first.
    for (let attempt = 0; !center; attempt++) {
      if (attempt > 5000) throw new Error(`no room for village ${v.name} in ${v.townName}`);
      const c = offset(town.center, (200 + attempt * 20) * Math.sqrt(random()), random() * 2 * Math.PI);
      if (inside(c[0], c[1]) && !placed.some((o) => dist2(o.center, c) < 100 ** 2) && dist2(c, town.center) > 50 ** 2) center = c;
    }
    placed.push({ ...v, center, population: populationOf(v, plan, random) });
  }
  return placed;
}

/** Mitchell's best candidate: of k tries, the one farthest (after scaling) from every seed so far. */
function bestCandidate(k: number, candidate: () => Pt | null, seeds: GridSeed[], scale: (p: Pt) => number): Pt | null {
  let best: Pt | null = null;
  let bestScore = -1;
  for (let i = 0; i < k; i++) {
    const p = candidate();
    if (!p) continue;
    let d = Infinity;
    for (const s of seeds) d = Math.min(d, dist2(s.point, p));
    const score = Math.sqrt(d) / scale(p);
    if (score > bestScore) {
      bestScore = score;
      best = p;
    }
  }
  return best;
}

/** A point inside the outline within a few hundred metres of c where no seed stands yet. */
function nearVillage(c: Pt, seeds: GridSeed[], inside: (x: number, y: number) => boolean, random: Random): Pt {
  for (let i = 1; ; i++) {
    const p = offset(c, Math.min(2000, 20 * i) * Math.sqrt(random()), random() * 2 * Math.PI);
    if (inside(p[0], p[1]) && seeds.every((s) => dist2(s.point, p) > 1)) return p;
    if (i > 10_000) throw new Error('no room for another grid seed');
  }
}

export function makeSeeds(villages: PlacedVillage[], outline: Polygon, random: Random, plan: CountyPlan): GridSeed[] {
  const inside = outlineTester(outline);
  const populated = plan.gridCount - plan.sparseGrids;
  if (populated < villages.length) throw new Error(`${plan.gridCount} grids are too few: ${villages.length} villages need one each, plus ${plan.sparseGrids} sparse ones`);
  // Every village gets one grid; the rest go by population over capacity.
  const extra = apportion(
    villages.map((v) => Math.max(0, v.population / capacity(v, plan.seat) - 1)),
    populated - villages.length,
  );
  const seeds: GridSeed[] = [];
  villages.forEach((village, i) => {
    const count = 1 + extra[i]!;
    const radiusM = Math.sqrt((count * cellKm2(village, plan.seat) * 1e6) / Math.PI);
    const inDisc = (): Pt | null => {
      const p = offset(village.center, radiusM * Math.sqrt(random()), random() * 2 * Math.PI);
      return inside(p[0], p[1]) ? p : null;
    };
    for (let n = 0; n < count; n++) {
      const p = n === 0 ? village.center : bestCandidate(12, inDisc, seeds, () => 1);
      // No candidate inside (a village on a thin strip of the outline): a free point nearer in, never a duplicate.
      seeds.push({ point: p ?? nearVillage(village.center, seeds, inside, random), village, desert: false });
    }
  });

  // Desert seeds: spacing grows with the distance to the nearest village centre.
  const [minX, minY, maxX, maxY] = bboxOf(outline.coordinates);
  // Half the candidates near a village: uniform ones alone almost never land in the small gaps around towns.
  const anywhere = (): Pt | null => {
    const p: Pt =
      random() < 0.5
        ? [minX + random() * (maxX - minX), minY + random() * (maxY - minY)]
        : offset(villages[Math.floor(random() * villages.length)]!.center, 8000 * random(), random() * 2 * Math.PI);
    return inside(p[0], p[1]) ? p : null;
  };
  const nearest = (p: Pt): { village: PlacedVillage; d2: number } => {
    let best = villages[0]!;
    let bestD = Infinity;
    for (const v of villages) {
      const d = dist2(v.center, p);
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    return { village: best, d2: bestD };
  };
  while (seeds.length < plan.gridCount) {
    const p = bestCandidate(40, anywhere, seeds, (q) => 1 + Math.sqrt(nearest(q).d2) / 2500);
    if (p) seeds.push({ point: p, village: nearest(p).village, desert: true });
  }
  return assignNearestVillage(seeds, villages);
}

/** Each seed belongs to the nearest village centre; a village left without one takes the nearest seed it can. */
function assignNearestVillage(seeds: GridSeed[], villages: PlacedVillage[]): GridSeed[] {
  const out = seeds.map((s) => {
    let best = villages[0]!;
    for (const v of villages) if (dist2(v.center, s.point) < dist2(best.center, s.point)) best = v;
    return { ...s, village: best };
  });
  const count = new Map<string, number>();
  for (const s of out) count.set(s.village.code, (count.get(s.village.code) ?? 0) + 1);
  for (const v of villages) {
    if (count.get(v.code)) continue;
    let take = -1;
    out.forEach((s, i) => {
      if (count.get(s.village.code)! > 1 && (take < 0 || dist2(s.point, v.center) < dist2(out[take]!.point, v.center))) take = i;
    });
    count.set(out[take]!.village.code, count.get(out[take]!.village.code)! - 1);
    out[take] = { ...out[take]!, village: v, desert: false };
    count.set(v.code, 1);
  }
  return out;
}
