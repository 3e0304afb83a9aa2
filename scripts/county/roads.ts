// A simplified road network: the expressway through the oasis, the national
// road north to 柳园镇, and a county road from every other town to the network.
// Roads that meet share an identical vertex, so a router can build its graph.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { TownPlace } from './gazetteer.ts';
import { M_PER_DEG_LAT, M_PER_DEG_LNG, roundPoint } from './geometry.ts';

type Pt = [number, number];
type RoadClass = 'expressway' | 'national' | 'provincial' | 'county';

/** Towns the expressway passes, west to east. */
const EXPRESSWAY = ['西湖镇', '七墩回族东乡族乡', '渊泉镇', '河东镇', '腰站子东乡族镇', '双塔镇', '三道沟镇'];

/** Splits a to b into segments of about stepM metres with a gentle random bend, all rounded. */
function bend(a: Pt, b: Pt, stepM: number, random: () => number, inside: (x: number, y: number) => boolean): Pt[] {
  const lengthM = Math.hypot((b[0] - a[0]) * M_PER_DEG_LNG, (b[1] - a[1]) * M_PER_DEG_LAT);
  const n = Math.max(1, Math.round(lengthM / stepM));
  const pts: Pt[] = [roundPoint(a)];
  // Perpendicular offset shaped as a sine: roads bow a little, never zig-zag.
  const amplitude = (random() - 0.5) * 0.12 * lengthM;
  const nx = -(b[1] - a[1]) * M_PER_DEG_LAT / lengthM;
  const ny = (b[0] - a[0]) * M_PER_DEG_LNG / lengthM;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const off = amplitude * Math.sin(Math.PI * t) + (random() - 0.5) * 0.01 * lengthM;
    const p: Pt = [a[0] + (b[0] - a[0]) * t + (nx * off) / M_PER_DEG_LNG, a[1] + (b[1] - a[1]) * t + (ny * off) / M_PER_DEG_LAT];
    pts.push(roundPoint(inside(p[0], p[1]) ? p : [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]));
  }
  pts.push(roundPoint(b));
  return pts;
}

export function makeRoads(towns: TownPlace[], random: () => number, inside: (x: number, y: number) => boolean): FeatureCollection<LineString> {
  const town = (name: string): TownPlace => {
    const t = towns.find((x) => x.name === name);
    if (!t) throw new Error(`no town ${name}`);
    return t;
  };
  const features: Feature<LineString>[] = [];
  const add = (id: string, name: string, cls: RoadClass, coords: Pt[]) =>
    features.push({ type: 'Feature', properties: { id, name, class: cls }, geometry: { type: 'LineString', coordinates: coords } });

  // G30 连霍高速 through the oasis, one line of many vertices.
  const expressway: Pt[] = [];
  for (let i = 1; i < EXPRESSWAY.length; i++) {
    const part = bend(town(EXPRESSWAY[i - 1]!).center, town(EXPRESSWAY[i]!).center, 2000, random, inside);
    expressway.push(...(i === 1 ? part : part.slice(1)));
  }
  add('R-G30', 'G30连霍高速', 'expressway', expressway);

  // G215 north from the seat to 柳园镇.
  add('R-G215', 'G215国道', 'national', bend(town('渊泉镇').center, town('柳园镇').center, 2500, random, inside));

  // County roads: every other town to the nearest vertex already on the network.
  const onNetwork = new Set(EXPRESSWAY.concat('柳园镇'));
  const others = towns.filter((t) => !onNetwork.has(t.name)).sort((a, b) => a.code.localeCompare(b.code));
  for (const t of others) {
    let best: Pt = expressway[0]!;
    let bestD = Infinity;
    for (const f of features) {
      for (const p of f.geometry.coordinates as Pt[]) {
        const d = ((p[0] - t.center[0]) * M_PER_DEG_LNG) ** 2 + ((p[1] - t.center[1]) * M_PER_DEG_LAT) ** 2;
        if (d < bestD) {
          bestD = d;
          best = p;
        }
      }
    }
    add(`R-${t.code}`, `${t.name}县道`, 'county', bend(best, t.center, 1500, random, inside));
  }
  return { type: 'FeatureCollection', features };
}
