// Sample sites and vehicles: sampling points where people live, isolation
// hotels, the hospital tiers and fever clinics, ambulances on the roads.
import type { FeatureCollection, LineString } from 'geojson';
import type { Ambulance, DecontaminationPoint, Hospital, IsolationHotel, SamplingPoint } from '../../server/schema/index.ts';
import type { TownPlace } from './gazetteer.ts';
import { dist2, M_PER_DEG_LAT, M_PER_DEG_LNG, offset, roundPoint, type Pt } from './geometry.ts';
import { personName } from './names.ts';
import type { SitePlan } from './plan.ts';
import { int, type Random } from './prng.ts';
import type { GridSeed } from './seeds.ts';
import type { GridFeature } from './voronoi-grids.ts';

export interface SiteInputs {
  grids: GridFeature[];
  /** Seed point of each grid, by grid id: inside its own grid by construction. */
  seedOf: Map<string, GridSeed>;
  towns: TownPlace[];
  roads: FeatureCollection<LineString>;
  gridAt: (p: Pt) => string | null;
  random: Random;
  /** Which towns get which hotels, hospitals, stations and names. */
  plan: SitePlan;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The point of segment ab closest to p (lengths scaled to metres so the projection is not skewed). */
export function closestOnSegment(p: Pt, a: Pt, b: Pt): Pt {
  const k = M_PER_DEG_LNG / M_PER_DEG_LAT;
  const dx = (b[0] - a[0]) * k,
    dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * k * dx + (p[1] - a[1]) * dy) / len2));
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

export function makeSites(input: SiteInputs) {
  const { grids, seedOf, towns, roads, gridAt, random, plan } = input;
  const town = (name: string) => {
    const t = towns.find((x) => x.name === name);
    if (!t) throw new Error(`no town ${name}`);
    return t;
  };
  const stamp = (p: Pt): string => {
    const id = gridAt(p);
    if (!id) throw new Error(`site at ${p} lies in no grid`);
    return id;
  };
  /** A point near the town centre that lies strictly inside a grid. */
  const inTown = (name: string, metres: number): Pt => {
    for (let i = 0; i < 100; i++) {
      const p = roundPoint(offset(town(name).center, metres * Math.sqrt(random()), random() * 2 * Math.PI));
      if (gridAt(p)) return p;
    }
    throw new Error(`no site found near ${name}`);
  };

  // Sampling points: in populated grids, drawn by population, one per grid.
  const pool = grids.filter((g) => g.properties.population >= 150);
  const samplingPoints: SamplingPoint[] = [];
  const names = new Map<string, number>();
  for (let n = 1; n <= 100 && pool.length; n++) {
    let pick = random() * pool.reduce((a, g) => a + g.properties.population, 0);
    const k = Math.max(
      0,
      pool.findIndex((g) => (pick -= g.properties.population) <= 0),
    );
    const grid = pool.splice(k, 1)[0]!;
    const location = roundPoint(seedOf.get(grid.properties.id)!.point);
    const seat = grid.properties.townName === plan.seat;
    const kind = n % 9 === 0 ? 'mobile' : (seat && n % 3 === 0) || n % 7 === 0 ? 'fixed' : 'convenience';
    const base = `${grid.properties.name.replace(/第\d+网格$/, '')}${kind === 'mobile' ? '流动采样车' : kind === 'fixed' ? '定点采样点' : '便民采样点'}`;
    const dup = (names.get(base) ?? 0) + 1;
    names.set(base, dup);
    const desks = kind === 'fixed' ? int(random, 2, 6) : kind === 'mobile' ? int(random, 1, 2) : int(random, 1, 4);
    const status = n % 23 === 0 ? 'closed' : n % 11 === 0 ? 'paused' : 'open';
    // Estimated waits mostly short, some busy, a few congested (minutes).
    const r = random();
    const waitMin = r < 0.7 ? 20 * random() : r < 0.9 ? 20 + 30 * random() : 50 + 40 * random();
    const queue = status === 'open' ? Math.round((desks * 150 * waitMin) / 60) : status === 'paused' ? int(random, 0, 30) : 0;
    const swabs = n % 19 === 0 ? int(random, 20, 150) : int(random, 600, 5000);
    samplingPoints.push({
      id: `SP${String(n).padStart(3, '0')}`,
      name: dup > 1 ? `${base}${dup}号` : base,
      location,
      gridId: stamp(location),
      updatedAt: 0,
      kind,
      serves: n % 13 === 0 ? 'key-groups' : 'all',
      hours:
        kind === 'fixed' && n % 2 === 0
          ? null
          : [
              { open: '08:00', close: '20:00' },
              { open: '07:30', close: '19:00' },
              { open: '08:00', close: '22:00' },
              { open: '09:00', close: '17:00' },
            ][n % 4]!,
      status,
      queue,
      desks,
      deskThroughput: 150,
      // Late morning of a testing day: about a third of the county sampled so far.
      samplesToday: status === 'closed' ? 0 : Math.round(int(random, 80, desks * 900) * 0.35),
      // Pooled testing (10 swabs to a tube): tubes run about a tenth of swabs.
      stock: { swabs, tubes: Math.round(swabs / 10) + int(random, 0, 40) },
    });
  }

  const hotels: IsolationHotel[] = plan.hotels.map(([t, hotel], i) => {
    const location = inTown(t, t === plan.seat ? 1500 : 800);
    const total = int(random, 40, 200);
    const occupied = int(random, Math.floor(total * 0.2), Math.floor(total * 0.8));
    const cleaning = int(random, 0, Math.min(12, total - occupied));
    const people = occupied + int(random, 0, Math.floor(occupied / 5)); // some rooms hold a family
    const needed = Math.ceil(people / 20);
    const short = i % 3 === 1; // hotels 2, 5 and 8 run short of 1 doctor + 1 nurse per 20 people
    return {
      id: `H${pad2(i + 1)}`,
      name: `${hotel}集中隔离点`,
      location,
      gridId: stamp(location),
      updatedAt: 0,
      rooms: { total, occupied, cleaning },
      people,
      checkInsToday: int(random, 0, 12),
      checkOutsToday: int(random, 0, 10),
      staff: short
        ? { doctors: Math.max(1, needed - 1 - int(random, 0, 1)), nurses: Math.max(1, needed - 1) }
        : { doctors: needed + int(random, 0, 1), nurses: needed + int(random, 0, 2) },
    };
  });

  const hospital = (id: string, name: string, role: Hospital['role'], t: string, open: boolean, treatment: number, icu: number, isolation: number, fill: number): Hospital => {
    const location = inTown(t, t === plan.seat ? 1200 : 500);
    return {
      id,
      name,
      location,
      gridId: stamp(location),
      updatedAt: 0,
      role,
      open,
      beds: {
        treatment: { total: treatment, occupied: Math.round(treatment * fill) },
        icu: { total: icu, occupied: Math.round(icu * fill * 0.5) },
        isolation: { total: isolation, occupied: Math.round(isolation * fill) },
      },
      maxCapacity: treatment + icu + isolation,
    };
  };
  // Beds kept ready for treatment ≈ 10 % of the county's level-2+ general beds; ICU ≥ 10 % of those.
  const hospitals: Hospital[] = plan.hospitals.map((h) => hospital(...h));

  // Ambulances wait at their station; the fix is the nearest point on a road, so every unit starts on the network.
  const onRoadNear = (p: Pt): Pt => {
    let best: Pt = p;
    let bestD = Infinity;
    for (const f of roads.features) {
      const c = f.geometry.coordinates as Pt[];
      for (let i = 1; i < c.length; i++) {
        const q = closestOnSegment(p, c[i - 1]!, c[i]!);
        if (dist2(q, p) < bestD) {
          bestD = dist2(q, p);
          best = q;
        }
      }
    }
    return roundPoint(best);
  };
  // A station stands at a hospital (by its index) or at a town's centre.
  const stations: [string, Pt][] = plan.stations.map(([name, at]) => [name, typeof at === 'number' ? hospitals[at]!.location : town(at).center]);
  const ambulances: Ambulance[] = [];
  const addUnit = (id: string, callSign: string, kind: Ambulance['kind'], [station, at]: [string, Pt], status: Ambulance['status']) => {
    const [lng, lat] = onRoadNear(at);
    ambulances.push({
      id,
      callSign,
      kind,
      status,
      station,
      crew: [personName(random), personName(random), personName(random)],
      fix: { lng, lat, at: 0, speed: 0, heading: 0 },
      gridId: stamp([lng, lat]),
      taskId: null,
      updatedAt: 0,
    });
  };
  // Negative-pressure units: two at the designated hospital, one each at the reserve, the 120 station and the fourth station.
  [0, 0, 1, 2, 3].forEach((s, i) => addUnit(`NP${pad2(i + 1)}`, `${plan.callSign}负压${pad2(i + 1)}`, 'negative-pressure', stations[s % stations.length]!, 'available'));
  for (let i = 1; i <= 12; i++) {
    addUnit(`AMB${pad2(i)}`, `${plan.callSign}120-${pad2(i)}`, 'ordinary', stations[(i - 1) % stations.length]!, i === 12 ? 'offline' : 'available');
  }

  const decontaminationPoints: DecontaminationPoint[] = plan.decontamination
    .map(([id, name, t, metres]) => [id, name, inTown(t, metres)] as const)
    .map(([id, name, location]) => ({ id, name, location, gridId: stamp(location) }));

  return { samplingPoints, hotels, hospitals, ambulances, decontaminationPoints };
}
