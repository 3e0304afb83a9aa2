// Mass-testing rounds through the server on a real Redis with a fake clock: a commander
// starts one (one at a time), field leads report people sampled for the grids of their
// towns (each op once), progress is read per grid, town and county, a town behind
// schedule and a deadline passed raise alerts that clear, the wall sees no names, the
// commander ends the round, and a round whose every grid is sampled completes by itself.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoundProgress } from '../../server/domain/testing-round.ts';
import { roundGridId, type RoundGrid, type TestingRound } from '../../server/schema/index.ts';
import { alertIdOf } from '../../server/services/alerts.ts';
import { sampleCounty } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const DAY = 86_400_000;

describe('mass-testing rounds', () => {
  let now = Date.UTC(2026, 10, 30, 1, 0, 0);
  const env = useServer({ redis: true, roles: ['field', 'commander', 'dispatcher', 'wall'], clock: () => now, config: { sessionTtlMs: 30 * DAY } });
  let seat = '';
  let other = '';
  beforeAll(async () => {
    // Sessions outlast the round's days the clock is moved through.
    const county = await sampleCounty();
    seat = county.towns.find((t) => t.seat)!.name;
    other = county.towns.find((t) => !t.seat)!.name;
  });
  const call = async <T>(role: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data: T; duplicate?: boolean; error?: string; message?: string } };
  };
  const report = (role: string, id: string, op: unknown, opId: string = randomUUID()) => call<RoundGrid>(role, 'POST', `/api/round-grids/${id}/ops`, { opId, op });
  const progress = async (id: string) => (await call<RoundProgress>('commander', 'GET', `/api/testing-rounds/${id}/progress`)).body.data;

  let round: TestingRound;
  let seatGrids: RoundGrid[];
  let otherGrids: RoundGrid[];

  it('is started by a commander for some towns, with one grid entity each at the grid’s population', async () => {
    expect((await call('dispatcher', 'POST', '/api/testing-rounds', { towns: [seat] })).status).toBe(403);
    expect((await call('field', 'POST', '/api/testing-rounds', { towns: [seat] })).status).toBe(403);
    expect((await call('commander', 'POST', '/api/testing-rounds', { towns: ['不存在镇'] })).status).toBe(400);
    expect((await call('commander', 'POST', '/api/testing-rounds', { county: true, towns: [seat] })).status).toBe(400);
    expect((await call('commander', 'POST', '/api/testing-rounds', { county: true, deadlineDays: 4 })).status).toBe(400);
    const res = await call<TestingRound>('commander', 'POST', '/api/testing-rounds', { towns: [seat, other], deadlineDays: 5 });
    expect(res.status).toBe(201);
    round = res.body.data;
    expect(round).toMatchObject({
      id: 'TR-1',
      number: 1,
      name: '第1轮全员核酸检测',
      scope: 'towns',
      towns: [seat, other],
      status: 'active',
      startedBy: 'commander',
      startedAt: now,
      deadlineDays: 5,
    });
    const grids = Object.values((await env.srv.store.snapshot()).collections.roundGrids);
    expect(grids).toHaveLength(round.gridIds.length);
    expect(grids.reduce((n, g) => n + g.population, 0)).toBe(round.population);
    expect(grids.every((g) => g.sampled === 0 && [seat, other].includes(g.townName))).toBe(true);
    seatGrids = grids.filter((g) => g.townName === seat);
    otherGrids = grids.filter((g) => g.townName === other);
    // One round at a time.
    expect((await call('commander', 'POST', '/api/testing-rounds', { county: true })).status).toBe(409);
  });

  it('takes field leads’ reports for the grids of their towns, each op once', async () => {
    const g = seatGrids[0]!;
    const opId = randomUUID();
    const first = await report('field', g.id, { kind: 'add', count: 30 }, opId);
    expect(first.status).toBe(200);
    expect(first.body.data.sampled).toBe(30);
    const again = await report('field', g.id, { kind: 'add', count: 30 }, opId);
    expect(again.body).toMatchObject({ duplicate: true, data: { sampled: 30 } });
    expect((await report('field', g.id, { kind: 'set', total: 45 })).body.data.sampled).toBe(45);
    expect((await report('field', g.id, { kind: 'add', count: -46 })).status).toBe(400);
    expect((await report('field', otherGrids[0]!.id, { kind: 'add', count: 5 })).status).toBe(403);
    expect((await report('dispatcher', g.id, { kind: 'add', count: 5 })).status).toBe(403);
    expect((await report('commander', otherGrids[0]!.id, { kind: 'add', count: 5 })).status).toBe(200);
    expect((await report('commander', roundGridId('TR-1', 'nowhere'), { kind: 'add', count: 5 })).status).toBe(404);
    const p = await progress(round.id);
    expect(p.county.sampled).toBe(50);
    expect(p.towns.find((t) => t.name === seat)).toMatchObject({ sampled: 45, grids: seatGrids.length });
    expect(p.grids.find((x) => x.gridId === g.gridId)).toMatchObject({ sampled: 45, population: g.population });
  });

  it('warns of a town behind schedule and clears when it catches up; the deadline passed is critical', async () => {
    // Day 2.5 of 5: 50 % expected; the seat town is set to 60 % of its grids, the other at ~0.
    now = round.startedAt + 2.5 * DAY;
    for (const g of seatGrids) await report('commander', g.id, { kind: 'set', total: Math.ceil(g.population * 0.6) });
    await env.srv.app.alerts.evaluate();
    const behindOther = alertIdOf(`round-behind:${round.id}:${other}`);
    expect(await env.srv.store.get('alerts', behindOther)).toMatchObject({ kind: 'round-behind', severity: 'warning', status: 'open' });
    expect(await env.srv.store.get('alerts', alertIdOf(`round-behind:${round.id}:${seat}`))).toBeUndefined();
    expect((await progress(round.id)).towns.find((t) => t.name === other)!.state).toBe('behind');
    for (const g of otherGrids) await report('commander', g.id, { kind: 'set', total: Math.ceil(g.population * 0.45) });
    await env.srv.app.alerts.evaluate();
    expect((await env.srv.store.get('alerts', behindOther))!.status).toBe('resolved');
    // One millisecond past the deadline with grids unfinished.
    now = round.startedAt + 5 * DAY + 1;
    await env.srv.app.alerts.evaluate();
    expect(await env.srv.store.get('alerts', alertIdOf(`round-overdue:${round.id}`))).toMatchObject({ kind: 'round-overdue', severity: 'critical', status: 'open' });
  });

  it('shows the wall no names', async () => {
    const snap = (await call<never>('wall', 'GET', '/api/snapshot')).body as unknown as { collections: { testingRounds: Record<string, TestingRound> } };
    expect(snap.collections.testingRounds[round.id]).toMatchObject({ id: round.id, startedBy: '' });
  });

  it('is ended by a commander (ended, not completed, with grids unfinished); reports then are refused', async () => {
    expect((await call('field', 'POST', `/api/testing-rounds/${round.id}/end`, {})).status).toBe(403);
    const ended = await call<TestingRound>('commander', 'POST', `/api/testing-rounds/${round.id}/end`, {});
    expect(ended.body.data).toMatchObject({ status: 'ended', endedBy: 'commander', endedAt: now });
    expect((await call('commander', 'POST', `/api/testing-rounds/${round.id}/end`, {})).status).toBe(409);
    expect((await report('commander', seatGrids[0]!.id, { kind: 'add', count: 1 })).status).toBe(409);
    await env.srv.app.alerts.evaluate();
    expect((await env.srv.store.get('alerts', alertIdOf(`round-overdue:${round.id}`)))!.status).toBe('resolved');
  });

  it('completes by itself when every grid has sampled its population', async () => {
    const gridId = seatGrids[0]!.gridId;
    const res = await call<TestingRound>('commander', 'POST', '/api/testing-rounds', { grids: [gridId], name: '渊泉镇重点网格加测' });
    expect(res.body.data).toMatchObject({ id: 'TR-2', number: 2, name: '渊泉镇重点网格加测', scope: 'grids', gridIds: [gridId], deadlineDays: 5 });
    const id = roundGridId('TR-2', gridId);
    const population = (await env.srv.store.get('roundGrids', id))!.population;
    await report('field', id, { kind: 'add', count: population });
    expect(await env.srv.store.get('testingRounds', 'TR-2')).toMatchObject({ status: 'completed', endedBy: null, endedAt: now });
    expect((await progress('TR-2')).county.state).toBe('done');
  });
});
