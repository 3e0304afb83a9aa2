// Static geometry over HTTP: the grids (revalidated by ETag, compressed), the county
// outline, towns, roads and decontamination points; and containment. The grids are read
// from app.gridLayers at each request: an import replaces them (and their ETag) at once.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocateQuery } from '../schema/index.ts';

const county: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { county } = app;

  app.get('/api/grids', async (request, reply) => {
    const { etag, gridsJson } = app.gridLayers.current;
    // no-cache: the browser keeps its copy but asks each time (a 304 while the ETag holds).
    reply.header('cache-control', 'private, no-cache').header('etag', etag);
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
