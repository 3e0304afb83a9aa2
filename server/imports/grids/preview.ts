// The preview map of a grid import, pure: every feature with a usable outline (in WGS-84,
// as it would be committed) marked with its worst problem, and the overlaps' and the largest
// gaps' polygons with a point on each. Served apart from the report, which stays small.
import { pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { GridPreview, GridPreviewProps, GridProblem } from '../../schema/index.ts';
import { mapPositions, type GridPolygon } from './grid-geometry.ts';

export interface PreviewInput {
  /** Each feature that has an outline, even one with errors, with what the file calls it. */
  drawn: { feature: number; id: string | null; name: string | null; polygon: GridPolygon }[];
  errors: readonly GridProblem[];
  warnings: readonly GridProblem[];
  overlaps: readonly { a: number; b: number; areaM2: number; blocking: boolean; shape: GridPolygon }[];
  gaps: readonly { areaM2: number; at: [number, number]; blocking: boolean; shape: GridPolygon }[];
}

/** 6 decimals (about 10 cm) is finer than a screen shows and keeps the answer small. */
const round = ([x = 0, y = 0]: Position): Position => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6];
const shape = (polygon: GridPolygon, properties: GridPreviewProps): Feature<Polygon | MultiPolygon, GridPreviewProps> => ({
  type: 'Feature',
  properties,
  geometry: mapPositions(polygon.geometry, round),
});
const marker = (at: Position, properties: GridPreviewProps): Feature<Point, GridPreviewProps> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: round(at) },
});

export function buildPreview({ drawn, errors, warnings, overlaps, gaps }: PreviewInput): GridPreview {
  const bad = new Set(errors.map((e) => e.feature));
  const warned = new Set(warnings.map((w) => w.feature));
  const grids = drawn.map((d) =>
    shape(d.polygon, { kind: 'grid', feature: d.feature, id: d.id, name: d.name, problem: bad.has(d.feature) ? 'error' : warned.has(d.feature) ? 'warning' : null }),
  );
  const overlapFeatures = overlaps.flatMap((o) => {
    const props = { kind: 'overlap' as const, a: o.a, b: o.b, areaM2: o.areaM2, blocking: o.blocking };
    return [shape(o.shape, { ...props, marker: false }), marker(pointOnFeature(o.shape).geometry.coordinates, { ...props, marker: true })];
  });
  const gapFeatures = gaps.flatMap((g) => {
    const props = { kind: 'gap' as const, areaM2: g.areaM2, blocking: g.blocking };
    return [shape(g.shape, { ...props, marker: false }), marker(g.at, { ...props, marker: true })];
  });
  return { type: 'FeatureCollection', features: [...grids, ...gapFeatures, ...overlapFeatures] };
}
