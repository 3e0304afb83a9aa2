// Coverage's road times: one place to every grid (GraphReach) against the graph router's
// own ETA for each grid, on the sample county's roads; and the incremental index against
// a brute-force minimum over every eligible unit's fresh row, through a seeded sequence
// of moves and status changes; then the index's rules one by one on hand-made rows.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { GraphRouter } from '../../server/routing/graph-router.ts';
import { buildRoadNetwork } from '../../server/routing/road-network.ts';
import { GraphReach, offRoadSeconds } from '../../server/routing/reach.ts';
import { CoverageIndex, type UnitState } from '../../server/routing/coverage-index.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import type { LngLat } from '../../server/schema/index.ts';
import { distanceMeters } from '../../server/geo/distance.ts';

const roads = JSON.parse(readFileSync('data/guazhou/roads.geojson', 'utf8')) as FeatureCollection<LineString>;
const network = buildRoadNetwork(roads);
const random = mulberry32(18);
const inCounty = (): LngLat => [95.3 + 1.6 * random(), 40.15 + 1.1 * random()];
const targets: LngLat[] = Array.from({ length: 120 }, inCounty);

describe('GraphReach: one place to every grid', () => {
  it('gives each target the graph router’s ETA from that place', async () => {
    const reach = new GraphReach(network, targets);
    const router = new GraphRouter(network);
    for (let k = 0; k < 8; k++) {
      const from = inCounty();
      const row = reach.secondsFrom(from);
      for (let i = 0; i < targets.length; i++) {
        const eta = (await router.etas(targets[i]!, [{ id: 'u', at: from }])).get('u');
        expect(row[i], `from ${from} to ${targets[i]}`).toBeCloseTo(eta!.etaSeconds, 6);
      }
    }
  });

  it('stops at its bound: a target further off is Infinity, nearer ones keep their time', () => {
    const full = new GraphReach(network, targets).secondsFrom(targets[0]!);
    const bound = 1800;
    const bounded = new GraphReach(network, targets, bound).secondsFrom(targets[0]!);
    let beyond = 0;
    for (let i = 0; i < targets.length; i++) {
      if (full[i]! <= bound) expect(bounded[i]).toBeCloseTo(full[i]!, 6);
      else {
        expect(bounded[i]).toBe(Infinity);
        beyond++;
      }
    }
    expect(beyond).toBeGreaterThan(0);
    expect(bounded[0]).toBe(0);
  });

  it('answers the same after many searches (its scratch is reset)', () => {
    const reach = new GraphReach(network, targets);
    const first = reach.secondsFrom(targets[5]!);
    for (let k = 0; k < 20; k++) reach.secondsFrom(inCounty());
    expect([...reach.secondsFrom(targets[5]!)]).toEqual([...first]);
  });
});

describe('CoverageIndex against a brute-force minimum', () => {
  it('keeps each class’s best time per grid through 400 seeded changes (tolerance 0: exact)', () => {
    const reach = new GraphReach(network, targets);
    const index = new CoverageIndex(targets.length, 0);
    const units = new Map<string, UnitState>();
    const r = mulberry32(7);
    for (let step = 0; step < 400; step++) {
      const id = `U${Math.floor(r() * 12)}`;
      const prev = units.get(id);
      const u: UnitState = {
        id,
        cls: prev && r() < 0.9 ? prev.cls : r() < 0.5 ? 'negative-pressure' : 'ordinary',
        eligible: r() < 0.7,
        at: r() < 0.05 ? null : prev?.at && r() < 0.5 ? [prev.at[0] + (r() - 0.5) * 0.02, prev.at[1] + (r() - 0.5) * 0.02] : inCounty(),
      };
      units.set(id, u);
      index.update(u, index.needsRow(u) ? reach.secondsFrom(u.at!) : undefined);
      if (step % 20 !== 19) continue;
      for (const cls of ['negative-pressure', 'ordinary'] as const) {
        const expected = new Float64Array(targets.length).fill(Infinity);
        for (const v of units.values()) {
          if (v.cls !== cls || !v.eligible || !v.at) continue;
          const row = reach.secondsFrom(v.at);
          for (let g = 0; g < targets.length; g++) expected[g] = Math.min(expected[g]!, row[g]!);
        }
        expect([...index.seconds(cls)], `${cls} after step ${step}`).toEqual([...expected]);
      }
    }
  });
});

describe('CoverageIndex, rule by rule', () => {
  const row = (...s: number[]) => Float64Array.from(s);
  const A: LngLat = [95.7, 40.5];

  it('a grid’s figure is the best eligible unit of the class; the other class does not count', () => {
    const index = new CoverageIndex(3, 300);
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: true, at: A }, row(100, 900, 2000));
    index.update({ id: 'np2', cls: 'negative-pressure', eligible: true, at: A }, row(800, 300, 1500));
    index.update({ id: 'o1', cls: 'ordinary', eligible: true, at: A }, row(10, 10, 10));
    expect([...index.seconds('negative-pressure')]).toEqual([100, 300, 1500]);
    expect([...index.seconds('ordinary')]).toEqual([10, 10, 10]);
    expect(index.bestUnit('negative-pressure', 1)).toBe('np2');
  });

  it('a unit no longer eligible leaves: its grids fall to the next best, or to Infinity', () => {
    const index = new CoverageIndex(2, 300);
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: true, at: A }, row(100, 900));
    index.update({ id: 'np2', cls: 'negative-pressure', eligible: true, at: A }, row(800, 300));
    const v = index.version;
    expect(index.update({ id: 'np2', cls: 'negative-pressure', eligible: false, at: A })).toBe(true);
    expect(index.version).toBe(v + 1);
    expect([...index.seconds('negative-pressure')]).toEqual([100, 900]);
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: false, at: A });
    expect([...index.seconds('negative-pressure')]).toEqual([Infinity, Infinity]);
    expect(index.bestUnit('negative-pressure', 0)).toBeNull();
  });

  it('back in service near where it was searched, it needs no new search; far off, it does', () => {
    const index = new CoverageIndex(2, 300);
    const u = { id: 'np1', cls: 'negative-pressure' as const, eligible: true, at: A };
    expect(index.needsRow(u)).toBe(true);
    index.update(u, row(100, 200));
    index.update({ ...u, eligible: false });
    const near: LngLat = [A[0] + 0.002, A[1]]; // about 170 m
    expect(index.needsRow({ ...u, at: near })).toBe(false);
    index.update({ ...u, at: near });
    const back = offRoadSeconds(distanceMeters(near[0], near[1], A[0], A[1]));
    expect(index.seconds('negative-pressure')[0]).toBeCloseTo(100 + back, 9);
    expect(index.needsRow({ ...u, at: [A[0] + 0.01, A[1]] })).toBe(true);
    expect(index.searches).toBe(1);
    expect(() => index.update({ id: 'np9', cls: 'negative-pressure', eligible: true, at: A })).toThrow(/needs a row/);
  });

  it('moving within the tolerance shifts its row by the leg back to the anchor; a worse row gives its grids to another unit', () => {
    const index = new CoverageIndex(2, 5000);
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: true, at: A }, row(100, 900));
    index.update({ id: 'np2', cls: 'negative-pressure', eligible: true, at: A }, row(400, 300));
    // 2 km away: the leg back costs about 375 s off-road, so grid 0 is np2's now (400 < 475).
    const away: LngLat = [A[0] + 0.0235, A[1]];
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: true, at: away });
    expect(index.bestUnit('negative-pressure', 0)).toBe('np2');
    expect(index.seconds('negative-pressure')[0]).toBe(400);
    // Back at the anchor: grid 0 is np1's again.
    index.update({ id: 'np1', cls: 'negative-pressure', eligible: true, at: A });
    expect(index.bestUnit('negative-pressure', 0)).toBe('np1');
    expect(index.seconds('negative-pressure')[0]).toBe(100);
  });

  it('a unit that changes class leaves the old class’s minimum and joins the new', () => {
    const index = new CoverageIndex(1, 300);
    index.update({ id: 'x', cls: 'negative-pressure', eligible: true, at: A }, row(50));
    index.update({ id: 'x', cls: 'ordinary', eligible: true, at: A });
    expect(index.seconds('negative-pressure')[0]).toBe(Infinity);
    expect(index.seconds('ordinary')[0]).toBe(50);
    expect([...index.rows('ordinary').keys()]).toEqual(['x']);
    expect(index.remove('x')).toBe(true);
    expect(index.seconds('ordinary')[0]).toBe(Infinity);
  });
});
