// The JT/T 808 gateway as part of the app: started with the server when JT808_PORT
// is set (HOST as the HTTP server), stopped with it. Accepted fixes go through the
// live write path (LiveUpdates.writePositions, reportPosition's rules), the fixes of
// all terminals that arrive during one store write together in the next. Registrations
// (and their auth codes' hashes) are kept in the store, so any process accepts them.
import fp from 'fastify-plugin';
import { Jt808Gateway } from '../ingest/jt808/gateway.ts';
import { PositionBatcher } from '../ingest/position-batcher.ts';

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
    // Two writes in flight: the gateway parses and answers while Redis runs the other.
    const batcher = new PositionBatcher(
      async (fixes) => {
        for (const { ambulanceId, error } of await app.updates.writePositions(fixes)) {
          // Older than the unit's fix: another source was quicker, nothing to say.
          if (error !== 'conflict') app.log.warn({ ambulanceId, error }, 'jt808 fix not written');
        }
      },
      2000,
      2,
    );
    const gateway = new Jt808Gateway({
      bindingOf: (phone) => app.terminals.directory.jt808Of(phone),
      noteUnknown: (sighting) => app.unknownTerminals.note(sighting),
      registrations: app.store,
      previousFix: async (id) => {
        const fix = (await app.store.get('ambulances', id))?.fix;
        return fix ? { lng: fix.lng, lat: fix.lat, at: fix.at } : null;
      },
      write: (fixes) => batcher.write(fixes),
      limits: app.config.fixLimits,
      connectionLimits: app.config.jt808Limits,
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
  { name: 'jt808', dependencies: ['services', 'terminals'] },
);
