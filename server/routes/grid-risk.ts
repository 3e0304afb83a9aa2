// PUT /api/grids/:id/risk {risk, neighbours?}: the command center sets a grid's risk level;
// sealing one (封控区) puts its neighbours under control (管控区) unless `neighbours: false`.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangeBody, GridStatus, Id, responses, RiskLevel } from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const Body = z.object({ risk: RiskLevel, neighbours: z.boolean().default(true) }).strict();

const gridRisk: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.put(
    '/api/grids/:id/risk',
    { schema: { params: z.object({ id: Id }), body: Body, response: responses({ 200: ChangeBody(z.array(GridStatus)) }) }, preValidation: app.requirePermission('grids:risk') },
    async (request, reply) => answer(reply, await app.updates.setGridRisk(request.params.id, request.body.risk, request.body.neighbours)),
  );
};
export default gridRisk;
