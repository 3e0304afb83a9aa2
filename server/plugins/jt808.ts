// The JT/T 808 gateway as part of the app: started with the server when JT808_PORT
// is set (HOST as the HTTP server), stopped with it. Accepted fixes go through the
// same write path as every other position (LiveUpdates.reportPosition).
import fp from 'fastify-plugin';
import { terminalKey } from '../county/county.ts';
import { Jt808Gateway } from '../ingest/jt808/gateway.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jt808: Jt808Gateway | null;
  }
}

export default fp(
  async (app) => {
    const settings = app.config.jt808;
    if (!settings) {
      app.decorate('jt808', null);
      return;
    }
    const gateway = new Jt808Gateway({
      ambulanceOf: (phone) => app.county.terminals.get(terminalKey(phone)),
      previousFix: async (id) => {
        const fix = (await app.store.get('ambulances', id))?.fix;
        return fix ? { lng: fix.lng, lat: fix.lat, at: fix.at } : null;
      },
      write: async (fixes) => {
        for (const { ambulanceId, fix } of fixes) {
          const outcome = await app.updates.reportPosition(ambulanceId, fix);
          if (!outcome.ok && outcome.error !== 'conflict') app.log.warn({ ambulanceId, outcome }, 'jt808 fix not written');
        }
      },
      authSecret: settings.authSecret,
      limits: app.config.fixLimits,
      clock: app.clock,
      log: app.log,
    });
    app.decorate('jt808', gateway);
    app.addHook('onReady', async () => {
      const port = await gateway.listen(settings.port, app.config.host);
      app.log.info({ port }, 'JT/T 808 gateway listening');
    });
    app.addHook('preClose', () => gateway.close());
  },
  { name: 'jt808', dependencies: ['services'] },
);
