// The local roads under the trunk lines, so that every village and populated grid is on
// the network and a demo ETA means something: a township road (乡道) from every village to
// the nearest road already built (villages nearer their town first, so roads branch out
// from the towns as they do on the ground), a link road between neighbouring villages of
// different towns (loops between the trunk lines), and a village road (村道) into every
// populated grid still more than a kilometre from a road. Desert grids stay off-road.
// Seeded apart from the rest of the county, so adding roads moves no site or grid.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { TownPlace } from './gazetteer.ts';
import { dist2, type Pt } from './geometry.ts';
import type { Random } from './prng.ts';
import { bend } from './roads.ts';
import { gridPoints } from '../../server/county/grid-points.ts';
import type { GridCollection } from '../../server/schema/index.ts';
import type { PlacedVillage } from './seeds.ts';

/** A village this close to a road is on it already. */
const ON_ROAD_M = 300;
/** A populated grid whose point (where a call for the grid is placed) is farther than this from every road gets a village road. */
const GRID_ACCESS_M = 1000;
/** People in a grid above which it is lived in (desert grids hold at most 50). */
const POPULATED = 50;
/** Neighbouring villages of different towns closer than this get a link road. */
const LINK_M = 6000;

/** The road vertices built so far, searched by brute force (a county has a few thousand). */
class Vertices {
  private readonly pts: Pt[] = [];
  add(pts: Pt[]): void {
    this.pts.push(...pts);
  }
  nearest(p: Pt): { at: Pt; d2: number } {
    let at = this.pts[0]!;
    let d2 = Infinity;
    for (const q of this.pts) {
      const d = dist2(p, q);
      if (d < d2) {
        d2 = d;
        at = q;
      }
    }
    return { at, d2 };
  }
}

export interface LocalRoadInput {
  roads: FeatureCollection<LineString>;
  towns: TownPlace[];
  villages: PlacedVillage[];
  grids: GridCollection;
  random: Random;
  inside: (x: number, y: number) => boolean;
}

export function addLocalRoads({ roads, towns, villages, grids, random, inside }: LocalRoadInput): FeatureCollection<LineString> {
  const features: Feature<LineString>[] = [...roads.features];
  const vertices = new Vertices();
  for (const f of features) vertices.add(f.geometry.coordinates as Pt[]);
  const add = (id: string, name: string, cls: 'township' | 'village', coords: Pt[]) => {
    features.push({ type: 'Feature', properties: { id, name, class: cls }, geometry: { type: 'LineString', coordinates: coords } });
    vertices.add(coords);
  };
  // At least two segments, so that even a short road bends.
  const road = (a: Pt, b: Pt, stepM: number): Pt[] => bend(a, b, Math.min(stepM, Math.sqrt(dist2(a, b)) / 2), random, inside);
  // A road from the nearest vertex (the identical point joins the graph) to p.
  const spur = (p: Pt, stepM: number): Pt[] => road(vertices.nearest(p).at, p, stepM);

  const townByCode = new Map(towns.map((t) => [t.code, t]));
  const fromTown = (v: PlacedVillage) => dist2(v.center, townByCode.get(v.townCode)!.center);
  const ordered = [...villages].sort((a, b) => a.townCode.localeCompare(b.townCode) || fromTown(a) - fromTown(b) || a.code.localeCompare(b.code));
  for (const v of ordered) {
    if (vertices.nearest(v.center).d2 <= ON_ROAD_M ** 2) continue;
    add(`X-${v.code}`, `通${v.shortName}公路`, 'township', spur(v.center, 800));
  }

  // Each village links to its nearest village of another town, once per pair.
  const linked = new Set<string>();
  for (const v of ordered) {
    let best: PlacedVillage | null = null;
    for (const o of villages) if (o.townCode !== v.townCode && (!best || dist2(v.center, o.center) < dist2(v.center, best.center))) best = o;
    if (!best || dist2(v.center, best.center) > LINK_M ** 2) continue;
    const key = [v.code, best.code].sort().join('|');
    if (linked.has(key)) continue;
    linked.add(key);
    const [a, b] = v.code < best.code ? [v, best] : [best, v];
    const from = vertices.nearest(a.center).at;
    const to = vertices.nearest(b.center).at;
    if (from === to) continue;
    add(`L-${a.code}-${b.code}`, `${a.shortName}—${b.shortName}乡道`, 'township', road(from, to, 800));
  }

  // Village roads into the populated grids still off the network.
  const pointOf = gridPoints(grids);
  for (const { properties: g } of grids.features) {
    const at = pointOf(g.id)! as Pt;
    if (g.population <= POPULATED || vertices.nearest(at).d2 <= GRID_ACCESS_M ** 2) continue;
    add(`V-${g.id}`, `${g.villageName}村道`, 'village', spur(at, 500));
  }
  return { type: 'FeatureCollection', features };
}
