// Vehicle terminals as part of the app: the bindings this process serves (app.terminals.directory,
// read by the JT/T 808 gateway and /osmand on every message), seeded into the store from
// DATA_DIR/terminals.json on a first start and from then on read from the store; reloaded on the
// store's notice whenever any process changes them, and checked every 30 s for a lost notice.
// Unknown terminals are recorded through app.unknownTerminals (throttled, capped).
import fp from 'fastify-plugin';
import { TerminalDirectory } from '../terminals/directory.ts';
import { TerminalBindings } from '../terminals/bindings.ts';
import { UnknownRecorder } from '../terminals/unknown-recorder.ts';
import { GRID_SET_CHECK_MS } from './grid-layer.ts';
import { servedMaps } from '../terminals/directory.ts';
import { seedFromCounty } from '../terminals/bindings.ts';

declare module 'fastify' {
  interface FastifyInstance {
    terminals: TerminalBindings;
    unknownTerminals: UnknownRecorder;
  }
}

export default fp(
  async (app) => {
    // Until the store answers: the county's file (a store unreachable at start is read within 30 s).
    const directory = new TerminalDirectory(servedMaps(seedFromCounty(app.county, 0)));
    const bindings = new TerminalBindings(app.store, directory, app.clock);
    app.decorate('terminals', bindings);
    const recorder = new UnknownRecorder(
      app.store.terminals,
      app.clock,
      (kind, identity) => directory.isBound(kind, identity),
      (err) => app.log.warn({ err }, 'could not record an unknown terminal'),
    );
    app.decorate('unknownTerminals', recorder);
    const follow = (version: number) => {
      if (version === directory.version) return;
      directory.reload(app.store.terminals).then(
        (served) => app.log.info({ version: served }, 'serving the terminal bindings changed in the store'),
        (err: unknown) => app.log.error({ err }, 'could not load the terminal bindings; serving the ones before'),
      );
    };
    try {
      if (await bindings.seed(app.county)) app.log.info({ file: `${app.config.dataDir}/terminals.json` }, 'terminal bindings seeded into the store');
      await directory.reload(app.store.terminals);
    } catch (err) {
      app.log.error({ err }, 'could not read the terminal bindings from the store; serving terminals.json meanwhile');
    }
    const unsubscribe = await app.store.terminals.onBindings(follow);
    const check = setInterval(() => {
      // A store that never held bindings (down at start, or back empty) is seeded (a compare-and-set
      // on version 0: once, whichever process is first); then a lost notice is caught.
      bindings
        .seed(app.county)
        .then(() => app.store.terminals.bindingSetVersion())
        .then(follow)
        .catch(() => undefined);
    }, GRID_SET_CHECK_MS);
    check.unref();
    app.addHook('onClose', async () => {
      clearInterval(check);
      unsubscribe();
      recorder.close();
      await recorder.settled();
    });
  },
  { name: 'terminals', dependencies: ['services'] },
);
