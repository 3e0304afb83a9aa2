// Mass-testing rounds: POST /api/testing-rounds (a commander starts one), POST
// /api/testing-rounds/:id/end, POST /api/round-grids/:id/ops (people sampled in one grid,
// at most once per opId), GET /api/testing-rounds/:id/progress (per grid, town and
// county, with the on-track judgement). A field lead reports for the grids of the towns
// where their own sampling points are.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangeBody, EndTestingRound, Id, NewTestingRound, OpBody, responses, RoundGrid, RoundGridOp, RoundProgressAnswer, TestingRound } from '../schema/index.ts';
import { roundProgress } from '../domain/testing-round.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';
import { answer, refuse } from '../http/reply.ts';

const Params = z.object({ id: Id });

/** The towns of a field lead's own sampling points. */
async function fieldTowns(store: LiveStore, session: StoredSession, townOf: (gridId: string) => string | undefined): Promise<Set<string>> {
  const user = await store.getUser(session.username);
  const towns = new Set<string>();
  for (const id of user?.samplingPoints ?? []) {
    const point = await store.get('samplingPoints', id);
    const town = point?.gridId ? townOf(point.gridId) : undefined;
    if (town) towns.add(town);
  }
  return towns;
}

const testingRounds: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/testing-rounds',
    { schema: { body: NewTestingRound, response: responses({ 201: ChangeBody(TestingRound) }) }, preValidation: app.requirePermission('rounds:manage') },
    async (request, reply) => answer(reply, await app.testingRounds.start(request.body, request.session!.username), { created: true }),
  );

  app.post(
    '/api/testing-rounds/:id/end',
    { schema: { params: Params, body: EndTestingRound, response: responses({ 200: ChangeBody(TestingRound) }) }, preValidation: app.requirePermission('rounds:manage') },
    async (request, reply) => answer(reply, await app.testingRounds.end(request.params.id, request.session!.username)),
  );

  app.post(
    '/api/round-grids/:id/ops',
    { schema: { params: Params, body: RoundGridOp, response: responses({ 200: OpBody(RoundGrid) }) }, preValidation: app.requirePermission('rounds:report') },
    async (request, reply) => {
      const session = request.session!;
      if (session.role === 'field') {
        const grid = await app.store.get('roundGrids', request.params.id);
        if (grid && !(await fieldTowns(app.store, session, (id) => app.namedGrids.byId(id)?.townName)).has(grid.townName)) {
          return refuse(reply, 'forbidden', '该网格不在您负责的采样点所在乡镇 (not a grid of your towns)');
        }
      }
      return answer(reply, await app.testingRounds.report(request.params.id, request.body));
    },
  );

  app.get('/api/testing-rounds/:id/progress', { schema: { params: Params, response: responses({ 200: RoundProgressAnswer }) } }, async (request, reply) => {
    const { collections, seq } = await app.store.snapshot();
    const round = collections.testingRounds[request.params.id];
    if (!round) return refuse(reply, 'not-found', `testingRounds/${request.params.id} does not exist`);
    return { seq, at: app.clock(), data: roundProgress(round, Object.values(collections.roundGrids), app.clock(), app.config.rounds.behindMargin) };
  });
};
export default testingRounds;
