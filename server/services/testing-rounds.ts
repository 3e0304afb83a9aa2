// Mass-testing rounds: the command center starts one for the whole county, some towns or
// some grids (one round at a time), sampling points and grid leads report people sampled
// per grid, the command center ends it. A round and one entity per covered grid are live
// collections (testingRounds, roundGrids), so progress reaches every screen over the
// real-time path. The round completes by itself once every grid is done. Rounds ended
// over a week ago are removed with their grids.
import { activeRound, DAY_MS, endStatus } from '../domain/testing-round.ts';
import { RoundGrid, roundGridId, TestingRound, type Change, type GridProps, type NewTestingRound, type RoundGridOp } from '../schema/index.ts';
import { derivedFromGrids, type GridsSource } from '../county/grids-source.ts';
import type { LiveStore } from '../store/store.ts';
import type { ChangeOutcome, Repeated } from '../schema/outcome.ts';
import { patchEntity } from './live-updates.ts';

export const ROUND_RETENTION_MS = 7 * DAY_MS;

export type ReportOutcome = ChangeOutcome<RoundGrid> | Repeated<RoundGrid>;

export class TestingRounds {
  readonly #grids: () => Map<string, GridProps>;

  constructor(
    private readonly store: LiveStore,
    grids: GridsSource,
    private readonly clock: () => number,
    private readonly options: { defaultDeadlineDays: number },
  ) {
    this.#grids = derivedFromGrids(grids, (list) => new Map(list.map((g) => [g.id, g])));
  }

  /** The grids a request covers, or why it covers none. */
  private covered(input: NewTestingRound): { scope: TestingRound['scope']; towns: string[]; grids: GridProps[] } | string {
    const byId = this.#grids();
    const all = [...byId.values()];
    if (input.county) return { scope: 'county', towns: [], grids: all };
    if (input.towns) {
      const towns = [...new Set(input.towns)];
      const unknown = towns.filter((t) => !all.some((g) => g.townName === t));
      if (unknown.length) return `未知乡镇 (unknown towns): ${unknown.join('、')}`;
      return { scope: 'towns', towns, grids: all.filter((g) => towns.includes(g.townName)) };
    }
    const ids = [...new Set(input.grids ?? [])];
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) return `未知网格 (unknown grids): ${unknown.slice(0, 10).join(', ')}`;
    return { scope: 'grids', towns: [], grids: ids.map((id) => byId.get(id)!) };
  }

  /**
   * Starts a round; `startedAt` (default now) and initial counts are for the simulator's
   * demo round only. Refused while another round is in progress.
   */
  async start(input: NewTestingRound, by: string, startedAt?: number): Promise<ChangeOutcome<TestingRound>> {
    const now = this.clock();
    const covered = this.covered(input);
    if (typeof covered === 'string') return { ok: false, error: 'invalid', message: covered };
    const { collections } = await this.store.snapshot();
    const rounds = Object.values(collections.testingRounds);
    const running = activeRound(rounds);
    if (running) return { ok: false, error: 'conflict', message: `${running.name}正在进行，请先结束 (a round is in progress: ${running.id})` };
    const number = Math.max(0, ...rounds.map((r) => r.number)) + 1;
    const id = `TR-${number}`;
    const round = TestingRound.parse({
      id,
      number,
      name: input.name ?? `第${number}轮全员核酸检测`,
      scope: covered.scope,
      towns: covered.towns,
      gridIds: covered.grids.map((g) => g.id),
      population: covered.grids.reduce((n, g) => n + g.population, 0),
      startedAt: startedAt ?? now,
      deadlineDays: input.deadlineDays ?? this.options.defaultDeadlineDays,
      startedBy: by,
      status: 'active',
      endedAt: null,
      endedBy: null,
      updatedAt: now,
    });
    const changes: Change[] = [
      { op: 'upsert', collection: 'testingRounds', entity: round },
      ...covered.grids.map((g): Change => ({
        op: 'upsert',
        collection: 'roundGrids',
        entity: { id: roundGridId(id, g.id), roundId: id, gridId: g.id, townName: g.townName, population: g.population, sampled: 0, updatedAt: now },
      })),
    ];
    // Two commanders at once compute the same number: the second finds it taken.
    let taken = false;
    const delta = await this.store.update(
      'testingRounds',
      id,
      (current) => {
        taken = current !== undefined;
        return taken ? null : changes;
      },
      now,
    );
    if (taken || !delta) return { ok: false, error: 'conflict', message: `${id} 已存在，请重试 (started meanwhile)` };
    return { ok: true, value: round, seq: delta.seq };
  }

  /** One report of people sampled in one grid of a round, applied at most once per opId. */
  async report(id: string, { opId, op }: RoundGridOp): Promise<ReportOutcome> {
    const now = this.clock();
    const current = await this.store.get('roundGrids', id);
    if (!current) return { ok: false, error: 'not-found', message: `roundGrids/${id} does not exist` };
    const round = await this.store.get('testingRounds', current.roundId);
    if (round?.status !== 'active') return { ok: false, error: 'conflict', message: '本轮检测已结束，不再接收上报 (the round is over)' };
    let failure: ChangeOutcome<RoundGrid> | null = null;
    let written: RoundGrid | null = null;
    const delta = await this.store.updateOnce(
      { key: `rg-op:${opId}`, ttlMs: 7 * DAY_MS },
      'roundGrids',
      id,
      (cur) => {
        failure = null;
        if (!cur) {
          failure = { ok: false, error: 'not-found', message: `roundGrids/${id} does not exist` };
          return null;
        }
        const sampled = op.kind === 'add' ? cur.sampled + op.count : op.total;
        if (sampled < 0) {
          failure = { ok: false, error: 'invalid', message: `已采人数不能为负 (sampled would be ${sampled})` };
          return null;
        }
        written = RoundGrid.parse({ ...cur, sampled, updatedAt: now });
        return [{ op: 'upsert', collection: 'roundGrids', entity: written }];
      },
      now,
    );
    if (failure) return failure;
    if (delta === 'duplicate') return { ok: 'duplicate', value: await this.store.get('roundGrids', id) };
    if (!delta || !written) return { ok: false, error: 'not-found', message: `roundGrids/${id} does not exist` };
    const grid: RoundGrid = written;
    if (grid.sampled >= grid.population) await this.completeIfDone(grid.roundId);
    return { ok: true, value: grid, seq: delta.seq };
  }

  /**
   * Adds people sampled to many grids of a round in one write (the simulator's tally,
   * no op ids); counts stop at each grid's population. Returns the new seq, or null.
   */
  async advance(roundId: string, added: Map<string, number>): Promise<number | null> {
    const now = this.clock();
    const ids = [...added.keys()].map((gridId) => roundGridId(roundId, gridId));
    if (ids.length === 0) return null;
    let finished = false;
    const delta = await this.store.updateMany(
      ids.map((id) => ({ collection: 'roundGrids' as const, id })),
      (current) => {
        finished = false;
        const changes: Change[] = [];
        current.forEach((entity) => {
          const g = entity as RoundGrid | undefined;
          const n = g && added.get(g.gridId);
          if (!g || !n || g.sampled >= g.population) return;
          const sampled = Math.min(g.population, g.sampled + n);
          if (sampled >= g.population) finished = true;
          changes.push({ op: 'upsert', collection: 'roundGrids', entity: { ...g, sampled, updatedAt: now } });
        });
        return changes.length ? changes : null;
      },
      now,
    );
    if (finished) await this.completeIfDone(roundId);
    return delta?.seq ?? null;
  }

  /** Ends a round by hand: completed if every grid is done, ended otherwise. */
  async end(id: string, by: string): Promise<ChangeOutcome<TestingRound>> {
    const { collections } = await this.store.snapshot();
    const grids = Object.values(collections.roundGrids).filter((g) => g.roundId === id);
    return patchEntity(this.store, this.clock(), 'testingRounds', id, TestingRound, (round, now) =>
      round.status !== 'active'
        ? { refused: 'conflict', message: `${round.name}已${round.status === 'completed' ? '完成' : '结束'} (already ${round.status})` }
        : { ...round, status: endStatus(grids), endedAt: now, endedBy: by, updatedAt: now },
    );
  }

  private async completeIfDone(roundId: string): Promise<void> {
    const { collections } = await this.store.snapshot();
    const grids = Object.values(collections.roundGrids).filter((g) => g.roundId === roundId);
    if (grids.length === 0 || endStatus(grids) !== 'completed') return;
    await patchEntity(this.store, this.clock(), 'testingRounds', roundId, TestingRound, (round, now) =>
      round.status === 'active' ? { ...round, status: 'completed', endedAt: now, endedBy: null, updatedAt: now } : { refused: 'conflict', message: 'over' },
    );
  }

  /** Removes rounds ended longer ago than the retention, with their grids; returns how many rounds. */
  async prune(): Promise<number> {
    const now = this.clock();
    const { collections } = await this.store.snapshot();
    const old = new Set(
      Object.values(collections.testingRounds)
        .filter((r) => r.endedAt !== null && r.endedAt < now - ROUND_RETENTION_MS)
        .map((r) => r.id),
    );
    if (old.size === 0) return 0;
    const changes: Change[] = [...old].map((id) => ({ op: 'remove', collection: 'testingRounds', id }));
    for (const g of Object.values(collections.roundGrids)) if (old.has(g.roundId)) changes.push({ op: 'remove', collection: 'roundGrids', id: g.id });
    await this.store.apply(changes, now);
    return old.size;
  }
}
