// Static geometry over HTTP: the grids (by version for a year, else revalidated by ETag; compressed), the county
// outline, towns, roads and decontamination points; and containment. The grids are read
// from app.gridLayers at each request: an import replaces them (and their ETag) at once.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CountyAnswer, DataBody, encodedJson, fileAnswer, GridsFile, LocateQuery, LocateResponse, Neighbours, NotModified, responses, Town } from '../schema/index.ts';
import { roleView, viewGridProps, type View } from '../domain/privacy.ts';
import { servedTowns, type ServedGrids } from '../county/town-layer.ts';
import { refuse } from '../http/reply.ts';

/**
 * The grids as a view may see them (the wall: no leads' names, server/domain/privacy.ts),
 * encoded once per grid set and view, with an ETag of their own.
 */
const served = new WeakMap<ServedGrids, Map<View, { json: string; etag: string }>>();
function gridsFor(layer: ServedGrids, view: View): { json: string; etag: string } {
  if (view === 'full') return { json: layer.gridsJson, etag: layer.etag };
  let byView = served.get(layer);
  if (!byView) served.set(layer, (byView = new Map()));
  let out = byView.get(view);
  if (!out) {
    const grids = { ...layer.grids, features: layer.grids.features.map((f) => ({ ...f, properties: viewGridProps(view, f.properties) })) };
    out = { json: JSON.stringify(grids), etag: `"${layer.version}.${view}"` };
    byView.set(view, out);
  }
  return out;
}

const county: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { county } = app;

  // `?v=` names a version (the screens learn it from /api/client-config and `static-changed`):
  // the grids of that version never change, so the browser keeps them for a year without
  // asking. Without it, or for a version no longer current, the current grids, which the
  // browser revalidates each time (a 304 while the ETag holds): an import shows at once.
  const grids = responses({ 200: fileAnswer('The grids as GeoJSON, as the asking role may see them', { 'application/geo+json': encodedJson(GridsFile) }), 304: NotModified });
  app.get('/api/grids', { schema: { querystring: z.object({ v: z.string().max(64).optional() }), response: grids } }, async (request, reply) => {
    // Under the committed records' town and village names (a town import renames them here too).
    const layer = app.townLayers.served(app.gridLayers.current);
    // No session (which the auth plugin does not let through) would get the least.
    const { json: gridsJson, etag } = gridsFor(layer, roleView(request.session?.role ?? 'wall'));
    const immutable = request.query.v === layer.version;
    // What is in it depends on who asks: a browser's cached copy serves the same session only.
    reply
      .header('cache-control', immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache')
      .header('etag', etag)
      .header('vary', 'authorization');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/geo+json').send(gridsJson);
  });

  app.get('/api/grids/locate', { schema: { querystring: LocateQuery, response: responses({ 200: LocateResponse }) } }, async (request, reply) => {
    const grid = app.namedGrids.locate(request.query.lng, request.query.lat);
    if (!grid) return refuse(reply, 'not-found', '该位置不在本县范围内 (outside the county)');
    return { id: grid.id, name: grid.name, villageName: grid.villageName, townName: grid.townName };
  });

  app.get('/api/grids/:id/neighbours', { schema: { params: z.object({ id: z.string() }), response: responses({ 200: Neighbours }) } }, async (request, reply) => {
    const { locator } = app.gridLayers.current;
    if (!locator.byId(request.params.id)) return refuse(reply, 'not-found', `no grid ${request.params.id}`);
    return { id: request.params.id, neighbours: locator.neighbours(request.params.id) };
  });

  // The towns alone, for a tablet on 4G that needs their names and centres, not the map.
  // Revalidated by the towns' version: a town import shows at once.
  app.get('/api/towns', { schema: { response: responses({ 200: DataBody(z.array(Town)), 304: NotModified }) } }, async (request, reply) => {
    const towns = app.townLayers.current;
    const etag = `"towns.${towns.version}"`;
    reply.header('cache-control', 'private, no-cache').header('etag', etag).header('vary', 'authorization');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return { data: servedTowns(towns) };
  });

  // The roads and towns are the ones served now: revalidated by their versions (a road or town import shows at once).
  app.get('/api/county', { schema: { response: responses({ 200: CountyAnswer, 304: NotModified }) } }, async (request, reply) => {
    const roads = app.roadLayers.current;
    const towns = app.townLayers.current;
    const etag = `"county.${roads.version}.${towns.version}"`;
    reply.header('cache-control', 'private, no-cache').header('etag', etag).header('vary', 'authorization');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return {
      info: county.info,
      outline: county.outline,
      towns: servedTowns(towns),
      roads: roads.roads,
      decontaminationPoints: county.decontaminationPoints,
    };
  });
};
export default county;
