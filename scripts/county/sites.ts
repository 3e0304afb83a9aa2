// Sample sites and vehicles: sampling points where people live, isolation
// hotels, the hospital tiers and fever clinics, ambulances on the roads.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type {
  Ambulance,
  DecontaminationPoint,
  GridProps,
  GridStatus,
  Hospital,
  IsolationHotel,
  SamplingPoint,
} from '../../server/schema/index.ts';
import type { Locator } from '../../server/geo/locator.ts';
import type { TownPlace } from './gazetteer.ts';
import type { GridSeed } from './grids.ts';
import { M_PER_DEG_LAT, M_PER_DEG_LNG, roundPoint } from './geometry.ts';
import { personName } from './names.ts';

type Pt = [number, number];

export interface SiteInputs {
  grids: Feature<Polygon | MultiPolygon, GridProps>[];
  /** Seed point of each grid, by grid id: inside its own grid by construction. */
  seedOf: Map<string, GridSeed>;
  towns: TownPlace[];
  roads: FeatureCollection<LineString>;
  locator: Locator<GridProps>;
  random: () => number;
}

export interface LiveSeedData {
  gridStatus: GridStatus[];
  samplingPoints: SamplingPoint[];
  hotels: IsolationHotel[];
  hospitals: Hospital[];
  ambulances: Ambulance[];
}

const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function near(p: Pt, metres: number, random: () => number): Pt {
  const a = random() * 2 * Math.PI;
  const r = metres * Math.sqrt(random());
  return roundPoint([p[0] + (Math.cos(a) * r) / M_PER_DEG_LNG, p[1] + (Math.sin(a) * r) / M_PER_DEG_LAT]);
}

export function makeSites(input: SiteInputs): LiveSeedData & { decontaminationPoints: DecontaminationPoint[] } {
  const { grids, seedOf, towns, locator, random } = input;
  const gridAt = (p: Pt) => locator.locate(p[0], p[1])?.id ?? null;
  const town = (name: string) => towns.find((t) => t.name === name)!;
  /** A point in the town near its centre that lies inside the county. */
  const inTown = (name: string, metres: number): Pt => {
    for (let i = 0; i < 50; i++) {
      const p = near(town(name).center, metres, random);
      if (gridAt(p)) return p;
    }
    return roundPoint(town(name).center);
  };

  // Sampling points: in populated grids, more where more people live.
  const populated = grids.filter((g) => g.properties.population > 300);
  const weightSum = populated.reduce((a, g) => a + g.properties.population, 0);
  const used = new Set<string>();
  const samplingPoints: SamplingPoint[] = [];
  for (let n = 1; n <= 100; n++) {
    let pick = random() * weightSum;
    let grid = populated[0]!;
    for (const g of populated) {
      pick -= g.properties.population;
      if (pick <= 0) {
        grid = g;
        break;
      }
    }
    if (used.has(grid.properties.id)) grid = populated.find((g) => !used.has(g.properties.id)) ?? grid;
    used.add(grid.properties.id);
    const location = roundPoint(seedOf.get(grid.properties.id)!.point);
    const kind = n % 10 === 0 ? 'mobile' : n % 4 === 0 ? 'fixed' : 'convenience';
    const desks = int(random, 1, kind === 'fixed' ? 6 : 3);
    samplingPoints.push({
      id: `SP${String(n).padStart(3, '0')}`,
      name: `${grid.properties.name.replace(/第\d+网格$/, '')}${kind === 'mobile' ? '流动采样车' : kind === 'fixed' ? '定点采样点' : '便民采样点'}${n}`,
      location,
      gridId: gridAt(location),
      updatedAt: 0,
      kind,
      serves: n % 13 === 0 ? 'key-groups' : 'all',
      hours: kind === 'fixed' && n % 3 === 0 ? null : { open: '08:00', close: n % 2 ? '20:00' : '18:00' },
      status: n % 17 === 0 ? 'paused' : 'open',
      queue: int(random, 0, desks * 60),
      desks,
      deskThroughput: 150,
      samplesToday: int(random, 0, 800),
      stock: { swabs: int(random, 200, 3000), tubes: int(random, 20, 300) },
    });
  }

  const hotelTowns = ['渊泉镇', '渊泉镇', '渊泉镇', '柳园镇', '瓜州镇', '河东镇', '锁阳城镇', '西湖镇'];
  const hotels: IsolationHotel[] = hotelTowns.map((t, i) => {
    const location = inTown(t, 1500);
    const total = int(random, 40, 200);
    const occupied = int(random, 0, Math.floor(total * 0.8));
    const cleaning = int(random, 0, Math.min(10, total - occupied));
    const people = occupied + int(random, 0, Math.floor(occupied / 4));
    const needed = Math.ceil(people / 20);
    const short = i % 3 === 1 ? 1 : 0; // some hotels run short of the 1 + 1 per 20 rule
    return {
      id: `H${String(i + 1).padStart(2, '0')}`,
      name: `${t === '渊泉镇' ? '瓜州' : t.replace(/(回族|东乡族|藏族)+/, '')}${['宾馆', '酒店', '大酒店', '商务宾馆'][i % 4]}集中隔离点${i + 1}`,
      location,
      gridId: gridAt(location),
      updatedAt: 0,
      rooms: { total, occupied, cleaning },
      people,
      checkInsToday: int(random, 0, 12),
      checkOutsToday: int(random, 0, 10),
      staff: { doctors: Math.max(0, needed - short), nurses: Math.max(0, needed - short + int(random, 0, 1)) },
    };
  });

  const hospital = (id: string, name: string, role: Hospital['role'], t: string, open: boolean, treatment: number, icu: number, isolation: number, fill: number): Hospital => {
    const location = inTown(t, t === '渊泉镇' ? 1200 : 600);
    return {
      id,
      name,
      location,
      gridId: gridAt(location),
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
  const hospitals: Hospital[] = [
    hospital('HOSP-DESIGNATED', '瓜州县人民医院', 'designated', '渊泉镇', true, 60, 8, 20, 0.3),
    hospital('HOSP-RESERVE', '瓜州县中医医院', 'reserve', '渊泉镇', true, 40, 4, 10, 0.05),
    hospital('HOSP-MAKESHIFT', '瓜州县方舱医院', 'makeshift', '渊泉镇', false, 300, 0, 0, 0),
    hospital('FC-LIUYUAN', '柳园镇卫生院发热门诊', 'fever-clinic', '柳园镇', true, 6, 0, 2, 0.2),
    hospital('FC-SUOYANG', '锁阳城镇卫生院发热门诊', 'fever-clinic', '锁阳城镇', true, 4, 0, 2, 0.1),
    hospital('FC-XIHU', '西湖镇卫生院发热门诊', 'fever-clinic', '西湖镇', true, 4, 0, 2, 0.1),
    hospital('FC-SANDAOGOU', '三道沟镇卫生院发热门诊', 'fever-clinic', '三道沟镇', true, 4, 0, 2, 0.1),
  ];

  // Ambulances: on a road vertex near their station.
  const roadVertices = input.roads.features.flatMap((f) => f.geometry.coordinates as Pt[]);
  const onRoadNear = (p: Pt): Pt => {
    let best = roadVertices[0]!;
    let bestD = Infinity;
    for (const v of roadVertices) {
      const d = ((v[0] - p[0]) * M_PER_DEG_LNG) ** 2 + ((v[1] - p[1]) * M_PER_DEG_LAT) ** 2;
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    return best;
  };
  const stations: [string, Pt][] = [
    ['瓜州县人民医院', hospitals[0]!.location],
    ['瓜州县中医医院', hospitals[1]!.location],
    ['瓜州县急救中心', town('渊泉镇').center],
    ['柳园镇卫生院', hospitals[3]!.location],
    ['锁阳城镇卫生院', hospitals[4]!.location],
    ['西湖镇卫生院', hospitals[5]!.location],
    ['三道沟镇卫生院', hospitals[6]!.location],
    ['双塔镇卫生院', town('双塔镇').center],
  ];
  const ambulances: Ambulance[] = [];
  const addUnit = (id: string, callSign: string, kind: Ambulance['kind'], station: [string, Pt]) => {
    const [lng, lat] = onRoadNear(station[1]);
    ambulances.push({
      id,
      callSign,
      kind,
      status: 'available',
      station: station[0],
      crew: [personName(random), personName(random), personName(random)],
      fix: { lng, lat, at: 0, speed: 0, heading: 0 },
      gridId: gridAt([lng, lat]),
      taskId: null,
      updatedAt: 0,
    });
  };
  for (let i = 1; i <= 5; i++) addUnit(`NP${String(i).padStart(2, '0')}`, `瓜州负压${String(i).padStart(2, '0')}`, 'negative-pressure', stations[[0, 0, 1, 3, 2][i - 1]!]!);
  for (let i = 1; i <= 12; i++) addUnit(`AMB${String(i).padStart(2, '0')}`, `瓜州120-${String(i).padStart(2, '0')}`, 'ordinary', stations[(i - 1) % stations.length]!);

  // Risk: all low, but one seat grid high and its neighbours medium.
  const seatGrids = grids.filter((g) => g.properties.townName === '渊泉镇' && g.properties.population > 0);
  const hot = seatGrids[Math.floor(random() * seatGrids.length)]!.properties.id;
  const medium = new Set(locator.neighbours(hot));
  const gridStatus: GridStatus[] = grids.map((g) => ({
    id: g.properties.id,
    risk: g.properties.id === hot ? 'high' : medium.has(g.properties.id) ? 'medium' : 'low',
    updatedAt: 0,
  }));

  const decontaminationPoints: DecontaminationPoint[] = [
    ['DECON-SEAT', '瓜州县洗消站（县城）', inTown('渊泉镇', 2500)],
    ['DECON-LIUYUAN', '柳园镇洗消点', inTown('柳园镇', 800)],
  ].map(([id, name, location]) => ({ id: id as string, name: name as string, location: location as Pt, gridId: gridAt(location as Pt) }));

  return { gridStatus, samplingPoints, hotels, hospitals, ambulances, decontaminationPoints };
}
