// Whether the store answers (realtime/store-watch.ts), decorated as app.storeWatch,
// and the write guard: while the store is unreachable every write gets a 503 at
// once, so nothing is accepted that could not be kept. Reads go on and fail (503)
// or succeed on their own; live screens are told by the realtime plugin.
import fp from 'fastify-plugin';
import { StoreWatch } from '../realtime/store-watch.ts';
import { refuse } from '../http/reply.ts';

declare module 'fastify' {
  interface FastifyInstance {
    storeWatch: StoreWatch;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(
  async (app) => {
    const watch = new StoreWatch({ ping: () => app.store.ping(), clock: app.clock, intervalMs: 1000, timeoutMs: 1500 });
    watch.onChange((status) => {
      if (status.reachable) app.log.warn('the store answers again');
      else app.log.error('the store is unreachable: writes are refused until it answers');
    });
    app.decorate('storeWatch', watch);
    app.addHook('onRequest', async (request, reply) => {
      if (READS.has(request.method) || watch.reachable) return;
      return refuse(reply.header('retry-after', '5'), 'store-unavailable', '数据存储不可用，本次操作未保存，请稍后重试 (store unavailable: nothing was saved)');
    });
    app.addHook('onReady', async () => watch.start());
    app.addHook('onClose', async () => watch.stop());
  },
  { name: 'store-watch', dependencies: ['services'] },
);
