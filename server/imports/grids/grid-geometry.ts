// The geometric checks of a grid import, pure: each polygon's shape (rings closed and long
// enough, finite coordinates, no self-intersection), the county line (a grid outside it, or
// partly), overlaps between grids with their area (turf intersect over the pairs whose
// boxes meet, from a flatbush index), and gaps: the outline not covered by the union of the
// grids, with the largest pieces. Areas are in m² (turf's geodesic area).
import { area, booleanValid, difference, featureCollection, intersect, kinks, pointOnFeature, union } from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { GridGap, GridOverlap, GridProblem } from '../../schema/index.ts';

/** Below this an overlap or a gap is rounding between two drawings of one line: not reported. */
export const NOISE_M2 = 1;
/** An overlap this large stops the commit; a smaller one is a warning. */
export const OVERLAP_BLOCKING_M2 = 100;
/** A gap piece this large is a warning (smaller ones only count in the total)… */
export const GAP_WARNING_M2 = 2_000;
/** …and this large stops the commit: points there would belong to no grid. */
export const GAP_BLOCKING_M2 = 10_000;
/** A grid reaching this far over the county line is a warning; over half of it outside, an error. */
export const OUTSIDE_WARNING_M2 = 1_000;

export type GridPolygon = Feature<Polygon | MultiPolygon>;

/** Checks a geometry's structure; the problem in Chinese, or null when it can be used. */
export function structureProblem(geometry: unknown): string | null {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object') return '没有几何图形';
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return `几何类型为 ${String(g.type)}，须为面（Polygon / MultiPolygon）`;
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
  if (!Array.isArray(polygons) || polygons.length === 0) return '面没有坐标';
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return '面没有外环';
    for (const ring of polygon as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return '环的顶点少于 4 个（含闭合点）';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return '坐标不是有效数字';
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) return '环未闭合（首尾顶点不同）';
    }
  }
  return null;
}

/** Maps every position of a (structurally valid) polygon, e.g. to WGS-84. */
export function mapPositions(geometry: Polygon | MultiPolygon, f: (p: Position) => Position): Polygon | MultiPolygon {
  const ring = (r: Position[]) => r.map((p) => f(p));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map(ring)) };
}

/** Self-intersections and other invalid shapes (a hole outside its shell…). */
export function shapeProblem(feature: GridPolygon): { code: 'self-intersection' | 'bad-geometry'; message: string } | null {
  const crossings = kinks(feature).features;
  if (crossings.length > 0) {
    const [lng = 0, lat = 0] = crossings[0]!.geometry.coordinates;
    return { code: 'self-intersection', message: `边界自相交 ${crossings.length} 处，如 (${lng.toFixed(6)}, ${lat.toFixed(6)})` };
  }
  if (!booleanValid(feature)) return { code: 'bad-geometry', message: '几何图形无效（如内环在外环之外、环重叠）' };
  return null;
}

const bboxOf = (f: GridPolygon): [number, number, number, number] => {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const polygon of polygons)
    for (const [x = 0, y = 0] of polygon[0] ?? []) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  return [w, s, e, n];
};

const round = (m2: number) => Math.round(m2 * 10) / 10;

export interface CoverageInput {
  /** The grids with a usable shape, with their feature numbers and ids. */
  grids: { feature: number; id: string | null; polygon: GridPolygon }[];
  outline: GridPolygon;
  /** Called between steps so a long check can let other work run (and report progress, 0–1). */
  pause?: (done: number) => Promise<void>;
}

export interface Coverage {
  /** Each with its intersection polygon (for the preview map; the report keeps only the numbers). */
  overlaps: (GridOverlap & { shape: GridPolygon })[];
  overlapM2: number;
  /** The largest pieces each with its polygon (for the preview map). */
  gaps: { totalM2: number; pieces: number; largest: (GridGap & { shape: GridPolygon })[] };
  errors: GridProblem[];
  warnings: GridProblem[];
}

const piecesOf = (f: Feature<Polygon | MultiPolygon> | null): Feature<Polygon>[] =>
  !f
    ? []
    : f.geometry.type === 'Polygon'
      ? [f as Feature<Polygon>]
      : f.geometry.coordinates.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: c } }));

/** Overlaps, gaps and the county line, over grids whose shapes are valid. */
export async function checkCoverage({ grids, outline, pause = async () => {} }: CoverageInput): Promise<Coverage> {
  const errors: GridProblem[] = [];
  const warnings: GridProblem[] = [];
  const areas = grids.map((g) => area(g.polygon));
  const covered = grids.length > 0 ? union(featureCollection(grids.map((g) => g.polygon))) : null;
  await pause(0.15);
  // (The union's area against the sum of the grids' cannot stand in for the pairwise check:
  // over a county of 23,000 km² their difference is tens of m² of rounding.)
  const overlaps: Coverage['overlaps'] = [];
  const boxes = grids.map((g) => bboxOf(g.polygon));
  const index = new Flatbush(Math.max(1, grids.length));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  if (grids.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  for (let i = 0; i < grids.length; i++) {
    const b = boxes[i]!;
    for (const j of index.search(b[0], b[1], b[2], b[3])) {
      if (j <= i) continue;
      const shared = intersect(featureCollection([grids[i]!.polygon, grids[j]!.polygon]));
      const m2 = shared ? area(shared) : 0;
      if (!shared || m2 < NOISE_M2) continue;
      const [a, c] = [grids[i]!, grids[j]!];
      const blocking = m2 >= OVERLAP_BLOCKING_M2;
      overlaps.push({ a: a.feature, b: c.feature, aId: a.id, bId: c.id, areaM2: round(m2), blocking, shape: shared });
      for (const [self, other] of [
        [a, c],
        [c, a],
      ] as const) {
        (blocking ? errors : warnings).push({ feature: self.feature, code: 'overlap', message: `与第 ${other.feature} 个要素（${other.id ?? '无编号'}）重叠 ${round(m2)} m²` });
      }
    }
    if (i % 50 === 49) await pause(0.15 + (0.6 * i) / grids.length);
  }
  await pause(0.75);
  // Gaps: the outline less the union of the grids.
  const gapPieces = covered ? piecesOf(difference(featureCollection([outline, covered]))) : piecesOf(outline);
  const gaps = gapPieces
    .map((p) => ({ areaM2: round(area(p)), at: pointOnFeature(p).geometry.coordinates as [number, number], shape: p as GridPolygon }))
    .filter((g) => g.areaM2 >= NOISE_M2);
  gaps.sort((x, y) => y.areaM2 - x.areaM2);
  await pause(0.85);
  // Over the county line: the union less the outline, each piece put down to the grids under it.
  const outsideBy = new Map<number, number>();
  for (const piece of covered ? piecesOf(difference(featureCollection([covered, outline]))) : []) {
    if (area(piece) < NOISE_M2) continue;
    const b = bboxOf(piece);
    for (const j of index.search(b[0], b[1], b[2], b[3])) {
      const shared = intersect(featureCollection([grids[j]!.polygon, piece]));
      if (shared) outsideBy.set(j, (outsideBy.get(j) ?? 0) + area(shared));
    }
  }
  for (const [j, m2] of outsideBy) {
    const g = grids[j]!;
    if (m2 > areas[j]! / 2)
      errors.push({ feature: g.feature, code: 'outside-county', message: `网格大部分在县界之外（${round(m2)} m²，占 ${Math.round((100 * m2) / areas[j]!)}%）` });
    else if (m2 >= OUTSIDE_WARNING_M2) warnings.push({ feature: g.feature, code: 'outside-county', message: `部分超出县界 ${round(m2)} m²` });
  }
  await pause(1);
  overlaps.sort((x, y) => y.areaM2 - x.areaM2);
  return {
    overlaps: overlaps.slice(0, 200),
    overlapM2: round(overlaps.reduce((s, o) => s + o.areaM2, 0)),
    gaps: {
      totalM2: round(gaps.reduce((s, g) => s + g.areaM2, 0)),
      pieces: gaps.length,
      largest: gaps.slice(0, 50).map((g) => ({ ...g, blocking: g.areaM2 >= GAP_BLOCKING_M2 })),
    },
    errors,
    warnings,
  };
}
