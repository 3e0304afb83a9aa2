// Static geometry over HTTP: the grids (by version for a year, else revalidated by ETag; compressed), the county
// outline, towns, roads and decontamination points; and containment. The grids are read
// from app.gridLayers at each request: an import replaces them (and their ETag) at once.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocateQuery } from '../schema/index.ts';

const county: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { county } = app;

  // `?v=` names a version (the screens learn it from /api/client-config and `static-changed`):
  // the grids of that version never change, so the browser keeps them for a year without
  // asking. Without it, or for a version no longer current, the current grids, which the
  // browser revalidates each time (a 304 while the ETag holds): an import shows at once.
  app.get('/api/grids', { schema: { querystring: z.object({ v: z.string().max(64).optional() }) } }, async (request, reply) => {
    const { etag, gridsJson, version } = app.gridLayers.current;
    const immutable = request.query.v === version;
    reply.header('cache-control', immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/geo+json').send(gridsJson);
  });

  app.get('/api/grids/locate', { schema: { querystring: LocateQuery } }, async (request, reply) => {
    const grid = app.gridLayers.locator.locate(request.query.lng, request.query.lat);
    if (!grid) return reply.code(404).send({ error: 'not-found', message: '该位置不在本县范围内 (outside the county)' });
    return { id: grid.id, name: grid.name, villageName: grid.villageName, townName: grid.townName };
  });

  app.get('/api/grids/:id/neighbours', { schema: { params: z.object({ id: z.string() }) } }, async (request, reply) => {
    const { locator } = app.gridLayers.current;
    if (!locator.byId(request.params.id)) {
      return reply.code(404).send({ error: 'not-found', message: `no grid ${request.params.id}` });
    }
    return { id: request.params.id, neighbours: locator.neighbours(request.params.id) };
  });

  // The towns alone, for a tablet on 4G that needs their names and centres, not the map.
  app.get('/api/towns', async (_request, reply) => reply.header('cache-control', 'private, max-age=3600').send({ data: app.county.towns }));

  app.get('/api/county', async (_request, reply) => {
    reply.header('cache-control', 'private, max-age=300');
    return {
      outline: county.outline,
      towns: county.towns,
      roads: county.roads,
      decontaminationPoints: county.decontaminationPoints,
    };
  });
};
export default county;
