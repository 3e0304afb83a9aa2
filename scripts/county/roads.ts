// A simplified road network: the plan's trunk roads as chains of towns (Guazhou: the
// expressway through the oasis from the east to the county seat, the national road
// north to 柳园镇, the provincial road west to 西湖镇), and a county road from every
// other town to the nearest vertex.
// Roads that meet share an identical vertex, so a router can build its graph.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { TownPlace } from './gazetteer.ts';
import { dist2, M_PER_DEG_LAT, M_PER_DEG_LNG, roundPoint, type Pt } from './geometry.ts';
import type { Random } from './prng.ts';

export type RoadClass = 'expressway' | 'national' | 'provincial' | 'county';

/** A trunk road as a chain of towns: [id, name, class, towns, vertex spacing in metres]. */
export type Trunk = [string, string, RoadClass, string[], number];

/** Splits a to b into segments of about stepM metres with a gentle random bend, all rounded. */
export function bend(a: Pt, b: Pt, stepM: number, random: Random, inside: (x: number, y: number) => boolean): Pt[] {
  const lengthM = Math.hypot((b[0] - a[0]) * M_PER_DEG_LNG, (b[1] - a[1]) * M_PER_DEG_LAT);
  const n = Math.max(1, Math.round(lengthM / stepM));
  const pts: Pt[] = [roundPoint(a)];
  // Perpendicular offset shaped as a sine: roads bow a little, never zig-zag.
  const amplitude = (random() - 0.5) * 0.12 * lengthM;
  const nx = (-(b[1] - a[1]) * M_PER_DEG_LAT) / lengthM;
  const ny = ((b[0] - a[0]) * M_PER_DEG_LNG) / lengthM;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const off = amplitude * Math.sin(Math.PI * t) + (random() - 0.5) * 0.01 * lengthM;
    const p: Pt = [a[0] + (b[0] - a[0]) * t + (nx * off) / M_PER_DEG_LNG, a[1] + (b[1] - a[1]) * t + (ny * off) / M_PER_DEG_LAT];
    pts.push(roundPoint(inside(p[0], p[1]) ? p : [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]));
  }
  pts.push(roundPoint(b));
  return pts;
}

export function makeRoads(towns: TownPlace[], trunks: Trunk[], random: Random, inside: (x: number, y: number) => boolean): FeatureCollection<LineString> {
  const town = (name: string): TownPlace => {
    const t = towns.find((x) => x.name === name);
    if (!t) throw new Error(`no town ${name}`);
    return t;
  };
  const features: Feature<LineString>[] = [];
  const add = (id: string, name: string, cls: RoadClass, coords: Pt[]) =>
    features.push({ type: 'Feature', properties: { id, name, class: cls }, geometry: { type: 'LineString', coordinates: coords } });

  for (const [id, name, cls, chain, step] of trunks) {
    const line: Pt[] = [];
    for (let i = 1; i < chain.length; i++) {
      const part = bend(town(chain[i - 1]!).center, town(chain[i]!).center, step, random, inside);
      line.push(...(i === 1 ? part : part.slice(1)));
    }
    add(id, name, cls, line);
  }

  // County roads: every other town to the nearest vertex already on the network.
  const onNetwork = new Set(trunks.flatMap((t) => t[3]));
  const others = towns.filter((t) => !onNetwork.has(t.name)).sort((a, b) => a.code.localeCompare(b.code));
  for (const t of others) {
    // Joining at an existing vertex (same rounded coordinates) is what connects the graph.
    const best = features.flatMap((f) => f.geometry.coordinates as Pt[]).reduce((b, p) => (dist2(p, t.center) < dist2(b, t.center) ? p : b));
    add(`R-${t.code}`, `${t.name.replace(/(回族|东乡族|藏族)+/, '')}县道`, 'county', bend(best, t.center, 1500, random, inside));
  }
  return { type: 'FeatureCollection', features };
}
