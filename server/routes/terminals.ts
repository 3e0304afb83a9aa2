// Vehicle terminals, for admins: GET /api/vehicles/terminals (every vehicle with its terminals),
// PUT /api/vehicles/:id/terminals (bind or rebind: the vehicle's terminals as they should be,
// with the version read; 409 when it changed since or an identity is another vehicle's without
// `move`), DELETE /api/vehicles/:id/terminals?version= (unbind), GET /api/terminals/unknown
// (terminals that reported with an identity no vehicle holds) and POST
// /api/terminals/unknown/bind (one of them bound to a vehicle in one action). A new OsmAnd key
// is answered once, beside `data` (so the audit entry, which records `data`, never holds it).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BindTerminalsRequest, BindUnknownRequest, DataBody, Id, responses, UnbindQuery, UnknownTerminal, VehicleTerminalsView } from '../schema/index.ts';
import { answer } from '../http/reply.ts';

const Params = z.object({ id: Id });
/** The vehicle's terminals as they are now, the vehicles a move took an identity from, and a new OsmAnd key once. */
const Bound = z.object({ data: z.object({ vehicle: VehicleTerminalsView, moved: z.array(z.string()) }), key: z.string().optional() });

const terminals: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const manage = app.requirePermission('terminals:manage');

  app.get(
    '/api/vehicles/terminals',
    { schema: { response: responses({ 200: DataBody(z.object({ version: z.number().int().nonnegative(), vehicles: z.array(VehicleTerminalsView) })) }) }, preValidation: manage },
    async () => ({ data: await app.terminals.list() }),
  );

  app.put(
    '/api/vehicles/:id/terminals',
    { schema: { params: Params, body: BindTerminalsRequest, response: responses({ 200: Bound }) }, preValidation: manage },
    async (request, reply) => answer(reply, await app.terminals.bind(request.params.id, request.body, request.session!.username)),
  );

  app.delete(
    '/api/vehicles/:id/terminals',
    { schema: { params: Params, querystring: UnbindQuery, response: responses({ 200: Bound }) }, preValidation: manage },
    async (request, reply) => answer(reply, await app.terminals.unbind(request.params.id, request.query.version, request.session!.username)),
  );

  app.get('/api/terminals/unknown', { schema: { response: responses({ 200: DataBody(z.array(UnknownTerminal)) }) }, preValidation: manage }, async () => ({
    data: await app.terminals.unknown(),
  }));

  app.post('/api/terminals/unknown/bind', { schema: { body: BindUnknownRequest, response: responses({ 200: Bound }) }, preValidation: manage }, async (request, reply) =>
    answer(reply, await app.terminals.bindUnknown(request.body, request.session!.username)),
  );
};
export default terminals;
