// Mass-testing rounds: POST /api/testing-rounds (a commander starts one), POST
// /api/testing-rounds/:id/end, POST /api/round-grids/:id/ops (people sampled in one grid,
// at most once per opId), GET /api/testing-rounds/:id/progress (per grid, town and
// county, with the on-track judgement). A field lead reports for the grids of the towns
// where their own sampling points are.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EndTestingRound, Id, NewTestingRound, RoundGridOp } from '../schema/index.ts';
import { roundProgress } from '../domain/testing-round.ts';
import type { Outcome } from '../services/live-updates.ts';
import type { LiveStore, StoredSession } from '../store/store.ts';

const Params = z.object({ id: Id });
const STATUS = { 'not-found': 404, invalid: 400, conflict: 409 } as const;
const send = <T>(reply: FastifyReply, outcome: Outcome<T>, created = false) =>
  outcome.ok
    ? reply.code(created ? 201 : 200).send({ data: outcome.value, seq: outcome.seq })
    : reply.code(STATUS[outcome.error]).send({ error: outcome.error, message: outcome.message });

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

  app.post('/api/testing-rounds', { schema: { body: NewTestingRound }, preValidation: app.requirePermission('rounds:manage') }, async (request, reply) =>
    send(reply, await app.testingRounds.start(request.body, request.session!.username), true),
  );

  app.post('/api/testing-rounds/:id/end', { schema: { params: Params, body: EndTestingRound }, preValidation: app.requirePermission('rounds:manage') }, async (request, reply) =>
    send(reply, await app.testingRounds.end(request.params.id, request.session!.username)),
  );

  app.post('/api/round-grids/:id/ops', { schema: { params: Params, body: RoundGridOp }, preValidation: app.requirePermission('rounds:report') }, async (request, reply) => {
    const session = request.session!;
    if (session.role === 'field') {
      const grid = await app.store.get('roundGrids', request.params.id);
      if (grid && !(await fieldTowns(app.store, session, (id) => app.namedGrids.byId(id)?.townName)).has(grid.townName)) {
        return reply.code(403).send({ error: 'forbidden', message: '该网格不在您负责的采样点所在乡镇 (not a grid of your towns)' });
      }
    }
    const outcome = await app.testingRounds.report(request.params.id, request.body);
    if (outcome.ok === 'duplicate') return reply.send({ data: outcome.value, duplicate: true });
    return send(reply, outcome);
  });

  app.get('/api/testing-rounds/:id/progress', { schema: { params: Params } }, async (request, reply) => {
    const { collections, seq } = await app.store.snapshot();
    const round = collections.testingRounds[request.params.id];
    if (!round) return reply.code(404).send({ error: 'not-found', message: `testingRounds/${request.params.id} does not exist` });
    return { seq, at: app.clock(), data: roundProgress(round, Object.values(collections.roundGrids), app.clock(), app.config.rounds.behindMargin) };
  });
};
export default testingRounds;
