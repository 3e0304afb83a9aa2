// GET /api/health: open to all, says whether the store answers (503 when it does not).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '../schema/index.ts';

const health: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get('/api/health', { schema: { response: { 200: Health, 503: Health }, security: [] } }, async (_request, reply) => {
    // Once the watch has seen the store fail, say so without waiting for another ping to time out.
    const reachable = app.storeWatch.reachable && (await app.store.ping());
    const seq = reachable ? await app.store.seq().catch(() => null) : null;
    return reply.code(reachable ? 200 : 503).send({
      status: reachable ? 'ok' : 'store-unreachable',
      // Which county this board serves: the sign-in screen names it before anyone signs in.
      county: { code: app.county.info.code, name: app.county.info.name, nameEn: app.county.info.nameEn, timeZone: app.timeZone },
      store: { kind: app.store.kind, reachable, since: app.storeWatch.status.since },
      seq,
      clients: app.gateway.size,
      time: app.clock(),
    });
  });
};
export default health;
