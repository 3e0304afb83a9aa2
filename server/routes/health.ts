// GET /api/health: open to all, says whether the store answers.
import type { FastifyPluginAsync } from 'fastify';

const health: FastifyPluginAsync = async (app) => {
  app.get('/api/health', async (_request, reply) => {
    const reachable = await app.store.ping();
    const seq = reachable ? await app.store.seq().catch(() => null) : null;
    return reply.code(reachable ? 200 : 503).send({
      status: reachable ? 'ok' : 'store-unreachable',
      store: { kind: app.store.kind, reachable },
      seq,
      clients: app.gateway.size,
      time: app.clock(),
    });
  });
};
export default health;
