// Recorded jittery tracks (made here: ±15 m of noise on each axis, one fix a second, along
// the sample county's roads) through the arrival fence and the grid hysteresis: exactly one
// arrival per stop (pickup, hospital, decontamination point), no leaving and coming back
// while parked, and no flapping between two grids for a unit parked on a grid edge.
import { beforeAll, describe, expect, it } from 'vitest';
import { nextArrival, type FenceEvent } from '../../server/domain/arrival-fence.ts';
import type { County } from '../../server/county/county.ts';
import { distanceMeters } from '../../server/geo/distance.ts';
import { GRID_EDGE_MARGIN_METERS, stickyGridId } from '../../server/geo/sticky-grid.ts';
import { GraphRouter } from '../../server/routing/graph-router.ts';
import { nearestVertex } from '../../server/routing/road-network.ts';
import type { LngLat, TransferStatus, TransferTask } from '../../server/schema/index.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { advanceRoute, routeDone, routePosition, walkRoute } from '../../server/simulator/route-walker.ts';
import { ARRIVAL_DEFAULTS } from '../../server/domain/arrival-fence.ts';
import { transfer } from '../helpers/fixtures.ts';
import { sampleCounty } from '../helpers/server.ts';

const NOISE_M = 15;
const M_PER_DEG = 111_320;

interface Fix {
  lng: number;
  lat: number;
  at: number;
  /** Where the unit really was (before the noise). */
  true: LngLat;
}

/** A GPS receiver: the true position plus uniform noise of ±15 m on each axis, once a second. */
function receiver(seed: number) {
  const random = mulberry32(seed);
  let at = Date.UTC(2026, 11, 1, 2, 0, 0);
  const fixes: Fix[] = [];
  const record = (p: LngLat) => {
    const dy = (random() * 2 - 1) * NOISE_M;
    const dx = (random() * 2 - 1) * NOISE_M;
    fixes.push({ lng: p[0] + dx / (M_PER_DEG * Math.cos((p[1] * Math.PI) / 180)), lat: p[1] + dy / M_PER_DEG, at, true: p });
    at += 1000;
  };
  return {
    fixes,
    /** Drives a route at `kmh`. */
    drive(route: LngLat[], kmh: number) {
      const w = walkRoute(route);
      while (!routeDone(w)) {
        advanceRoute(w, kmh / 3.6);
        const p = routePosition(w);
        record([p.lng, p.lat]);
      }
    },
    park(at: LngLat, seconds: number) {
      for (let s = 0; s < seconds; s++) record(at);
    },
    get now() {
      return at;
    },
  };
}

let county: County;
let router: GraphRouter;
beforeAll(async () => {
  county = await sampleCounty();
  router = new GraphRouter(county.roads);
});

describe('a jittery track through a transfer', () => {
  it('arrives exactly once at the pickup, the hospital and the decontamination point, and never leaves while parked', async () => {
    const hospital = county.seed.hospitals.find((h) => h.id === 'HOSP-DESIGNATED')!;
    const decon = county.decontaminationPoints.find((d) => d.id === 'DECON-SEAT')!;
    const v = nearestVertex(router.network, 95.7, 40.45).vertex;
    const pickup = router.network.vertices[v]! as LngLat;
    const station: LngLat = [county.seed.ambulances[0]!.fix!.lng, county.seed.ambulances[0]!.fix!.lat];
    const gps = receiver(18);
    // Each leg: the task's status while the unit drives it and parks; the dispatcher is slow
    // to accept, so each fence sees the whole stop and the unit driving away.
    // Units park where they can, some just inside the arrival radius (the naive fence's worst case).
    const parkNear = (p: LngLat, metersNorth: number): LngLat => [p[0], p[1] + metersNorth / M_PER_DEG];
    const legs: { status: TransferStatus; to: LngLat; park: number }[] = [
      { status: 'en-route', to: parkNear(pickup, 92), park: 240 },
      { status: 'transporting', to: parkNear(hospital.location, 40), park: 300 },
      { status: 'handed-over', to: parkNear(decon.location, 88), park: 600 },
    ];
    let from = station;
    const statusAt: { from: number; status: TransferStatus }[] = [];
    for (const [i, leg] of legs.entries()) {
      // The last step is accepted a minute after the unit drove off.
      statusAt.push({ from: i === 0 ? 0 : gps.fixes.length + 60, status: leg.status });
      gps.drive((await router.route(from, leg.to))!.geometry, 45);
      gps.park(leg.to, leg.park);
      from = leg.to;
    }
    gps.drive((await router.route(from, station))!.geometry, 45);
    expect(gps.fixes.length).toBeGreaterThan(1500);

    const places = { hospitals: { [hospital.id]: hospital }, decontaminationPoints: county.decontaminationPoints };
    let task: TransferTask = transfer('T1', 0, {
      status: 'en-route',
      ambulanceId: 'NP01',
      destinationId: hospital.id,
      pickup: { location: pickup, gridId: null, townName: null, address: '' },
    });
    const events: Record<string, FenceEvent[]> = { 'en-route': [], transporting: [], 'handed-over': [] };
    const arrivals: { status: TransferStatus; at: number; trueAt: number }[] = [];
    let writes = 0;
    gps.fixes.forEach((fix, i) => {
      const status = statusAt.findLast((s) => s.from <= i)!.status;
      if (status !== task.status) task = { ...task, status };
      const r = nextArrival(task, fix, places, ARRIVAL_DEFAULTS);
      if (r.arrival !== (task.arrival ?? null)) writes++;
      task = { ...task, arrival: r.arrival };
      if (r.event) events[status]!.push(r.event);
      if (r.event === 'arrived') {
        const target = r.arrival!.location;
        // When the unit really came within the radius: the first true position inside.
        const first = gps.fixes.findIndex(
          (f, k) => k >= statusAt.find((s) => s.status === status)!.from && distanceMeters(f.true[0], f.true[1], target[0], target[1]) <= ARRIVAL_DEFAULTS.enterMeters,
        );
        arrivals.push({ status, at: r.arrival!.arrivedAt!, trueAt: gps.fixes[first]!.at });
      }
    });
    // One arrival per stop, no drive-by, one departure, no second arrival: the hysteresis held.
    expect(events).toEqual({ 'en-route': ['entered', 'arrived', 'left'], transporting: ['entered', 'arrived', 'left'], 'handed-over': ['entered', 'arrived', 'left'] });
    expect(arrivals.map((a) => a.status)).toEqual(['en-route', 'transporting', 'handed-over']);
    for (const a of arrivals) expect(Math.abs(a.at - a.trueAt)).toBeLessThanOrEqual(10_000);
    // Three writes a stop (came in, stayed, left) out of 1,500-odd fixes.
    expect(writes).toBe(9);

    // The same track through a fence without hysteresis (leave = arrival radius, no dwell) flaps: the test can fail.
    for (const place of [pickup, decon.location]) {
      let flaps = 0;
      let inside = false;
      for (const fix of gps.fixes) {
        const d = distanceMeters(fix.lng, fix.lat, place[0], place[1]);
        if (d <= ARRIVAL_DEFAULTS.enterMeters !== inside) {
          inside = !inside;
          flaps++;
        }
      }
      expect(flaps).toBeGreaterThan(10);
    }
  });
});

/** A straight road segment crossing one grid edge, 300 m either side, and the edge point. */
function roadCrossingGridEdge(c: County): { a: LngLat; b: LngLat; edge: LngLat; grids: [string, string] } {
  for (const f of c.roads.features) {
    const coords = f.geometry.coordinates;
    for (let i = 1; i < coords.length; i++) {
      const [a, b] = [coords[i - 1]! as LngLat, coords[i]! as LngLat];
      const length = distanceMeters(a[0], a[1], b[0], b[1]);
      if (length < 700) continue;
      const at = (m: number): LngLat => [a[0] + ((b[0] - a[0]) * m) / length, a[1] + ((b[1] - a[1]) * m) / length];
      const ids: (string | null)[] = [];
      for (let m = 0; m <= length; m += 5) ids.push(c.locator.locate(...at(m))?.id ?? null);
      for (let k = 1; k < ids.length; k++) {
        if (ids[k] === ids[k - 1] || !ids[k] || !ids[k - 1]) continue;
        const m = k * 5;
        if (m < 320 || m > length - 320) continue;
        // One edge only, 300 m either side, and the grids meet along the edge, not at a corner.
        const span = ids.slice(k - 60, k + 60);
        if (new Set(span).size !== 2 || span.filter((x, j) => j > 0 && x !== span[j - 1]).length !== 1) continue;
        let lo = m - 5;
        let hi = m;
        while (hi - lo > 0.05) {
          const mid = (lo + hi) / 2;
          if (c.locator.locate(...at(mid))?.id === ids[k - 1]) lo = mid;
          else hi = mid;
        }
        return { a: at(m - 300), b: at(m + 300), edge: at(lo), grids: [ids[k - 1]!, ids[k]!] };
      }
    }
  }
  throw new Error('no road crosses a grid edge cleanly');
}

describe('a unit on a grid edge', () => {
  it('parked on the edge, jittering across it, keeps one grid; driving across, changes once', () => {
    const crossing = roadCrossingGridEdge(county);
    const gps = receiver(808);
    gps.park(crossing.edge, 600);
    let sticky: string | null = null;
    let stickyChanges = 0;
    let plainChanges = 0;
    let plain: string | null = null;
    for (const fix of gps.fixes) {
      const next = stickyGridId(county.locator, sticky, fix.lng, fix.lat, GRID_EDGE_MARGIN_METERS);
      if (sticky !== null && next !== sticky) stickyChanges++;
      sticky = next;
      const p = county.locator.locate(fix.lng, fix.lat)?.id ?? null;
      if (plain !== null && p !== plain) plainChanges++;
      plain = p;
    }
    expect(crossing.grids).toContain(sticky);
    expect(stickyChanges).toBe(0);
    // Without the hysteresis the same fixes flap between the two grids.
    expect(plainChanges).toBeGreaterThan(50);

    const drive = receiver(909);
    drive.drive([crossing.a, crossing.b], 30);
    const seen: string[] = [];
    let grid: string | null = null;
    for (const fix of drive.fixes) {
      grid = stickyGridId(county.locator, grid, fix.lng, fix.lat);
      if (grid && seen.at(-1) !== grid) seen.push(grid);
    }
    expect(seen).toEqual(crossing.grids);
  });
});
