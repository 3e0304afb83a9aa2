// A county's plan: the choices the generator makes beyond the public sources (where the
// towns stand, how many grids, which towns get the hospitals, hotels and trunk roads, what
// the units are called). 瓜州县 keeps its hand-made plan (guazhou.ts); every other county's
// is derived here from its outline and its towns, deterministically from its code.
import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { pinyin } from 'pinyin-pro';
import { ETHNIC_SUFFIX } from '../../server/county/ethnic.ts';
import { dist2, offset, outlineTester, bboxOf, type Pt } from './geometry.ts';
import { GUAZHOU } from './guazhou.ts';
import { mulberry32 } from './prng.ts';
import type { CountySources, DivisionRow } from './sources.ts';
import type { CountyPlan, HospitalSpec } from './plan-types.ts';
import type { Trunk } from './roads.ts';

export type { CountyPlan, HospitalSpec, SitePlan } from './plan-types.ts';

export const shortName = (county: string): string => {
  const s = county.replace(/(自治县|自治旗|林区|特区|县|市|区|旗)$/, '').replace(ETHNIC_SUFFIX, '');
  return s.length >= 2 ? s : county;
};
const townShort = (town: string): string => {
  const s = town.replace(/(街道办事处|街道|镇|乡|苏木)$/, '').replace(ETHNIC_SUFFIX, '');
  return s.length >= 1 ? s : town;
};

/** The largest polygon of a multipolygon outline (islands and enclaves dropped), with what was dropped. */
export function mainPolygon(outline: CountySources['outline']): { polygon: Polygon; dropped: number; droppedShare: number } {
  const g = outline.geometry;
  if (g.type === 'Polygon') return { polygon: g, dropped: 0, droppedShare: 0 };
  const areas = g.coordinates.map((c) => area({ type: 'Polygon', coordinates: c }));
  const k = areas.indexOf(Math.max(...areas));
  const total = areas.reduce((a, b) => a + b, 0);
  return { polygon: { type: 'Polygon', coordinates: g.coordinates[k]! }, dropped: areas.length - 1, droppedShare: 1 - areas[k]! / total };
}

interface TownRow {
  code: string;
  name: string;
  villages: number;
}

/** Town centres: the seat at the county's published seat, streets (街道) around it, other towns spread over the outline. */
function placeTowns(towns: TownRow[], polygon: Polygon, seatPoint: Pt, random: () => number): Record<string, [number, number]> {
  const inside = outlineTester(polygon);
  const [x0, y0, x1, y1] = bboxOf(polygon.coordinates);
  const anywhere = (): Pt => {
    for (;;) {
      const p: Pt = [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)];
      if (inside(p[0], p[1])) return p;
    }
  };
  const seat = inside(...seatPoint) ? seatPoint : anywhere();
  const placed: Pt[] = [];
  const out: Record<string, [number, number]> = {};
  const put = (name: string, p: Pt) => {
    const q: Pt = [Math.round(p[0] * 1e4) / 1e4, Math.round(p[1] * 1e4) / 1e4];
    placed.push(q);
    out[name] = q;
  };
  towns.forEach((t, i) => {
    if (i === 0) return put(t.name, seat);
    if (/街道/.test(t.name)) {
      // Streets make up the county town: within a few kilometres of the seat.
      for (let a = 0; ; a++) {
        const p = offset(seat, 800 + 300 * i + 100 * a, i * 2.39996 + random());
        if ((inside(p[0], p[1]) && placed.every((q) => dist2(q, p) > 500 ** 2)) || a > 200) return put(t.name, inside(p[0], p[1]) ? p : anywhere());
      }
    }
    // Mitchell's best candidate: of 30 points inside, the one farthest from every town so far.
    let best = anywhere();
    let bestD = -1;
    for (let k = 0; k < 30; k++) {
      const p = anywhere();
      const d = Math.min(...placed.map((q) => dist2(q, p)));
      if (d > bestD) [best, bestD] = [p, d];
    }
    put(t.name, best);
  });
  return out;
}

function townsOf(rows: DivisionRow[]): TownRow[] {
  const towns = new Map<string, TownRow>();
  for (const r of rows) {
    const t = towns.get(r.townCode) ?? { code: r.townCode, name: r.townName, villages: 0 };
    t.villages++;
    towns.set(r.townCode, t);
  }
  return [...towns.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Trunk roads from the seat to up to three far towns in different directions, through the towns near the way. */
function trunksOf(short: string, seat: string, centres: Record<string, Pt>): Trunk[] {
  const s = centres[seat]!;
  const others = Object.keys(centres)
    .filter((n) => n !== seat && !/街道/.test(n))
    .sort((a, b) => dist2(centres[b]!, s) - dist2(centres[a]!, s) || a.localeCompare(b));
  const angle = (n: string) => Math.atan2(centres[n]![1] - s[1], centres[n]![0] - s[0]);
  const ends: string[] = [];
  for (const n of others) {
    if (ends.length === 3) break;
    if (ends.every((e) => Math.abs(((angle(e) - angle(n) + 3 * Math.PI) % (2 * Math.PI)) - Math.PI) > Math.PI / 3)) ends.push(n);
  }
  return ends.map((end, i): Trunk => {
    const e = centres[end]!;
    const len2 = dist2(s, e);
    // Towns within a tenth of the way's length of the straight line join the chain, in order.
    const via = others
      .filter((n) => n !== end && !ends.includes(n))
      .map((n) => {
        const p = centres[n]!;
        const t = ((p[0] - s[0]) * (e[0] - s[0]) + (p[1] - s[1]) * (e[1] - s[1])) / ((e[0] - s[0]) ** 2 + (e[1] - s[1]) ** 2 || 1);
        const foot: Pt = [s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])];
        return { n, t, off: dist2(foot, p) };
      })
      .filter((v) => v.t > 0.1 && v.t < 0.9 && v.off < len2 / 100)
      .sort((a, b) => a.t - b.t)
      .map((v) => v.n);
    const step = Math.min(2000, Math.max(300, Math.sqrt(len2) / 8));
    return [`R-T${i + 1}`, `${short}—${townShort(end)}公路`, i === 0 ? 'national' : 'provincial', [seat, ...via, end], Math.round(step)];
  });
}

export interface PlanOptions {
  /** The number of grids (default: from the villages and the population). */
  grids?: number;
}

export function planCounty(sources: CountySources, options: PlanOptions = {}): CountyPlan {
  const { code, outline, rows } = sources;
  const name = outline.properties.name;
  if (code === '620922' && options.grids === undefined) return { ...GUAZHOU, code, name };
  const random = mulberry32(Number(code) ^ 0x5eed);
  const { polygon } = mainPolygon(outline);
  const towns = townsOf(rows);
  const seat = towns[0]!.name; // the lowest code: the seat's own town or street
  const centres = placeTowns(towns, polygon, outline.properties.center, random);
  const short = shortName(name);
  const areaKm2 = area(polygon) / 1e6;
  const communities = rows.filter((r) => r.kind === 'community').length;
  const villages = rows.length - communities;
  const population = Math.round((3000 * communities + 1100 * villages) / 1000) * 1000;
  // About 600 people a grid, at least one populated grid a village; a 100,000-person county gets some 200.
  const gridCount = options.grids ?? Math.min(1500, Math.max(Math.ceil(rows.length / 0.75) + 10, Math.round(population / 600)));
  const sparseGrids = Math.min(Math.round(gridCount * 0.25), gridCount - rows.length);
  if (sparseGrids < 0) throw new Error(`--grids ${gridCount} is too few: ${name} has ${rows.length} villages and communities, one grid each at least`);
  const townR = Math.sqrt((areaKm2 * 1e6) / towns.length / Math.PI);
  // The busiest towns (most villages) after the seat get the clinics, the hotels and the second risk cluster.
  const busy = towns
    .slice(1)
    .sort((a, b) => b.villages - a.villages || a.code.localeCompare(b.code))
    .map((t) => t.name);
  const clinics = busy.slice(0, 4);
  const health = (t: string) => (/街道/.test(t) ? `${t}社区卫生服务中心` : `${t}卫生院`);
  const hospitals: HospitalSpec[] = [
    ['HOSP-DESIGNATED', `${name}人民医院`, 'designated', seat, true, 60, 8, 30, 0.25],
    ['HOSP-RESERVE', `${name}中医医院`, 'reserve', seat, true, 40, 4, 12, 0.05],
    ['HOSP-MAKESHIFT', `${name}方舱医院`, 'makeshift', seat, false, 300, 0, 0, 0],
    ...clinics.map((t, i): HospitalSpec => [
      `FC-${towns.find((x) => x.name === t)!.code.slice(6)}`,
      `${health(t)}发热门诊`,
      'fever-clinic',
      t,
      true,
      i === 0 ? 6 : 4,
      0,
      i === 0 ? 3 : 2,
      [0.2, 0.25, 0, 0.25][i]!,
    ]),
  ];
  return {
    code,
    name,
    short,
    latitude: Math.round(outline.properties.center[1] * 2) / 2,
    population,
    gridCount,
    sparseGrids,
    seat,
    secondTown: busy[0] ?? seat,
    townCentres: centres,
    villages: { ringM: 0.2 * townR, spreadM: 0.6 * townR, squeeze: 1, spacingM: Math.min(2200, 0.6 * Math.sqrt((areaKm2 * 1e6) / rows.length)) },
    trunks: trunksOf(short, seat, centres),
    sites: {
      seat,
      callSign: short,
      hotels: [
        [seat, `${short}宾馆`],
        [seat, `${short}大酒店`],
        [seat, `${short}商务宾馆`],
        [seat, `${short}驿站酒店`],
        ...busy.slice(0, 4).map((t): [string, string] => [t, `${townShort(t)}宾馆`]),
      ],
      hospitals,
      stations: [
        [`${name}人民医院`, 0],
        [`${name}中医医院`, 1],
        [`${name}120急救站`, seat],
        ...clinics.map((t, i): [string, number] => [health(t), 3 + i]),
        ...busy.slice(4, 5).map((t): [string, string] => [health(t), t]),
      ],
      decontamination: [
        ['DECON-SEAT', `${name}洗消站（县城）`, seat, 2500],
        ...(busy[0] ? [['DECON-SECOND', `${busy[0]}洗消点`, busy[0], 800] as [string, string, string, number]] : []),
      ],
    },
    terminalPrefix: pinyin(short, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toUpperCase().slice(0, 4),
  };
}
