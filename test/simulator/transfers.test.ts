// The simulator's 120 centre on the real app (in-process store, fake clock, ticks driven by
// the test): calls come in, are dispatched by the rules, and their units drive to the
// pickup, the hospital and a decontamination point along the roads; the board's arrival
// watch proposes each step and the simulated dispatcher accepts it; the tasks close and the
// 120 figures of GET /api/kpis fill in. The same seed makes the same calls.
import { afterEach, describe, expect, it } from 'vitest';
import type { Kpi120 } from '../../server/domain/kpi-120.ts';
import type { TransferTask } from '../../server/schema/index.ts';
import { SIM_DISPATCHER } from '../../server/simulator/transfer-driver.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { login, sampleCounty, startTestServer, type TestServer } from '../helpers/server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function simulatedCounty(seed: number, ticks: number, { moveUps = false, callEverySeconds = 600 } = {}) {
  let now = Date.UTC(2026, 11, 1, 1, 0, 0);
  const county = await sampleCounty();
  const minDisinfectionMs = 3 * 60_000;
  const srv = await startTestServer({ clock: () => now, config: { minDisinfectionMs } });
  servers.push(srv);
  const sim = new Simulator({
    store: srv.store,
    updates: srv.app.updates,
    roads: county.roads,
    clock: () => now,
    tickMs: 2000,
    speed: 20,
    seed,
    dispatch: srv.app.dispatch,
    grids: srv.app.gridLayers.current.props,
    decontaminationPoints: county.decontaminationPoints,
    minDisinfectionMs,
    ...(moveUps ? { moveUps: srv.app.coverage } : {}),
    callEverySeconds,
    onError: (message, err) => {
      throw new Error(`${message}: ${String(err)}`);
    },
  });
  await sim.start();
  await sim.stop(); // the test drives the ticks
  const firstCalls = Object.values((await srv.store.snapshot()).collections.transfers).sort((a, b) => a.id.localeCompare(b.id));
  for (let i = 0; i < ticks; i++) {
    now += 2000;
    await sim.tick();
    await srv.app.arrivals.idle();
    if (moveUps) {
      // The board's coverage follows the fixes and ends moves whose unit has arrived (its recheck, driven here).
      await srv.app.coverage.flush();
      await srv.app.coverage.followMoves();
    }
  }
  return { srv, firstCalls, now };
}

describe('the simulator’s transfers', () => {
  it('takes calls, rolls, arrives, hands over and disinfects through the board’s proposals, and the 120 figures fill', async () => {
    const { srv } = await simulatedCounty(20221123, 700);
    const tasks = Object.values((await srv.store.snapshot()).collections.transfers) as TransferTask[];
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    expect(tasks.every((t) => t.createdBy === SIM_DISPATCHER && t.ambulanceId !== null)).toBe(true);
    // Every task's unit was the kind its rule asks for, or the fallback the rules allow.
    const closedHighRisk = tasks.filter((t) => t.status === 'closed' && t.highRisk);
    expect(closedHighRisk.length).toBeGreaterThan(0);
    for (const t of closedHighRisk) {
      expect(t.steps.map((s) => s.to)).toEqual(['created', 'assigned', 'en-route', 'on-scene', 'transporting', 'handed-over', 'disinfecting', 'closed']);
      const times = t.steps.map((s) => s.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // The arrivals were detected by the board, not made up: each at the time of arrival.
      for (const to of ['on-scene', 'handed-over', 'disinfecting']) expect(t.steps.find((s) => s.to === to)!.note).toMatch(/定位检测到达/);
      expect(t.decontamination?.completedAt).not.toBeNull();
    }
    // The units are free again after their tasks, and back to 待命.
    const units = Object.values((await srv.store.snapshot()).collections.ambulances);
    for (const t of closedHighRisk) {
      const unit = units.find((u) => u.id === t.ambulanceId)!;
      expect(unit.taskId === null || unit.taskId !== t.id).toBe(true);
    }

    const token = await login(srv.url, 'dispatcher');
    const res = await fetch(`${srv.url}/api/kpis`, { headers: { authorization: `Bearer ${token}` } });
    const { today } = ((await res.json()) as { data: { today: Kpi120 } }).data;
    expect(today.calls).toBe(tasks.length);
    expect(today.rolling.assigned).toBeGreaterThan(0);
    expect(today.rolling.share).not.toBeNull();
    expect(today.response.count).toBeGreaterThan(0);
    expect(today.response.meanMinutes).toBeGreaterThan(0);
    expect(today.toHandover.count).toBeGreaterThan(0);
    expect(today.disinfection.count).toBeGreaterThan(0);
    expect(today.disinfection.meanMinutes).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('accepts the board’s move-up suggestions; the unit drives to its standby point, the move ends there and coverage follows', async () => {
    // No calls: the sample county's first suggestion stands, and nothing but the moves changes cover.
    const { srv } = await simulatedCounty(20221123, 400, { moveUps: true, callEverySeconds: Number.POSITIVE_INFINITY });
    const snap = await srv.store.snapshot();
    const moves = Object.values(snap.collections.moveTasks).sort((a, b) => a.createdAt - b.createdAt);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((m) => m.createdBy === SIM_DISPATCHER && m.status !== 'cancelled')).toBe(true);
    const arrived = moves.filter((m) => m.status === 'arrived');
    expect(arrived.length).toBeGreaterThan(0);
    for (const m of arrived) {
      expect(m.endedAt).toBeGreaterThan(m.createdAt);
      expect(m.coverageAfter).toBeGreaterThan(m.coverageBefore);
      // It stands by there.
      const unit = snap.collections.ambulances[m.ambulanceId]!;
      expect(unit.status).toBe('available');
      const [lng, lat] = m.location;
      expect(Math.hypot((unit.fix!.lng - lng) * 85_000, (unit.fix!.lat - lat) * 111_000)).toBeLessThan(250);
    }
    // Coverage followed: the county's cover at the target is what the last arrived move promised (a unit still en route counts at its point already).
    const last = moves.at(-1)!;
    const { figures } = await srv.app.coverage.current();
    const atTarget = figures.within.find((w) => w.minutes === last.targetMinutes)!;
    expect(atTarget.negativePressure).toBeGreaterThanOrEqual(arrived.at(-1)!.coverageAfter - 0.005);
    expect(atTarget.negativePressure).toBeGreaterThan(moves[0]!.coverageBefore);
  }, 120_000);

  it('makes the same calls for the same seed, other calls for another', async () => {
    const describeCalls = (tasks: TransferTask[]) => tasks.map((t) => `${t.pickup.gridId}:${t.rule}:${t.ambulanceId}`).sort();
    const a = await simulatedCounty(7, 0);
    const b = await simulatedCounty(7, 0);
    const c = await simulatedCounty(8, 0);
    expect(a.firstCalls.length).toBe(3);
    expect(describeCalls(a.firstCalls)).toEqual(describeCalls(b.firstCalls));
    expect(describeCalls(c.firstCalls)).not.toEqual(describeCalls(a.firstCalls));
  }, 60_000);
});
