// The simulator's mass-testing round: on an empty county it starts a county-wide round
// two days under way (some towns ahead, some behind), and every few seconds the grids'
// tallies grow at a pace that would finish by the deadline, stopping at each population.
import { describe, expect, it } from 'vitest';
import { roundProgress } from '../../server/domain/testing-round.ts';
import { seedIfEmpty } from '../../server/county/seed.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { RoundDriver, townPace } from '../../server/simulator/round-driver.ts';
import { TestingRounds } from '../../server/services/testing-rounds.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { sampleCounty } from '../helpers/server.ts';

describe('the simulator’s mass-testing round', () => {
  it('paces towns between 0.7 and 1.3 of the deadline’s pace, the same for the same seed', () => {
    for (const town of ['渊泉镇', '柳园镇', '三道沟镇']) {
      expect(townPace(town, 1)).toBe(townPace(town, 1));
      expect(townPace(town, 1)).toBeGreaterThanOrEqual(0.7);
      expect(townPace(town, 1)).toBeLessThan(1.3);
    }
  });

  it('starts a demo round two days under way and advances it', async () => {
    const county = await sampleCounty();
    const store = new MemoryStore();
    let now = Date.UTC(2026, 10, 30, 2, 0, 0);
    await seedIfEmpty(store, county.seed, county.locator, now);
    const grids = county.grids.features.map((f) => f.properties);
    const rounds = new TestingRounds(store, grids, () => now, { defaultDeadlineDays: 5 });
    const driver = new RoundDriver(store, rounds, { speed: 60, seed: 7, demo: true, random: mulberry32(7) });
    await driver.start((await store.snapshot()).collections, now);
    const first = (await store.snapshot()).collections;
    const round = Object.values(first.testingRounds)[0]!;
    expect(round).toMatchObject({ id: 'TR-1', scope: 'county', status: 'active', gridIds: grids.map((g) => g.id) });
    expect(round.population).toBe(grids.reduce((n, g) => n + g.population, 0));
    const p0 = roundProgress(round, Object.values(first.roundGrids), now);
    expect(p0.expected).toBeCloseTo(0.44, 6);
    expect(p0.county.share).toBeGreaterThan(0.3);
    expect(p0.county.share).toBeLessThan(0.6);
    expect(p0.towns.some((t) => t.state === 'behind')).toBe(true);

    // The first step reads the round; later steps add to it (60× speed: 10 s real = 10 simulated minutes).
    await driver.step(now);
    for (let i = 0; i < 4; i++) {
      now += 6_000;
      await driver.step(now);
    }
    const later = Object.values((await store.snapshot()).collections.roundGrids);
    const p1 = roundProgress(round, later, now);
    expect(p1.county.sampled).toBeGreaterThan(p0.county.sampled);
    expect(later.every((g) => g.sampled <= g.population)).toBe(true);
    await store.close();
  });
});
