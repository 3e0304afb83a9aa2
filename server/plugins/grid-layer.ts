// Keeps this process on the committed grid set: when any process commits a grid import the
// store says so (onGridSet), and this process loads the set and swaps app.gridLayers in one
// step (the realtime plugin then tells its screens to reload the grids). Loads run in turn
// (GridLayers.follow), each reading the store's set when it runs: the last commit wins. A
// check every 30 s catches a notice lost while the store was unreachable.
import fp from 'fastify-plugin';

export const GRID_SET_CHECK_MS = 30_000;

export default fp(
  async (app) => {
    let pending: Promise<unknown> = Promise.resolve();
    /** A stored set that could not be read: said once (at error level), not every 30 s. */
    let unreadable: string | null = null;
    const follow = (version: string) => {
      if (version === app.gridLayers.current.version || version === unreadable) return;
      pending = app.gridLayers
        .follow(app.store)
        .then((layer) => {
          if (layer) app.log.info({ version: layer.version, grids: layer.props.length }, 'switched to the grids committed by an import');
        })
        .catch((err: unknown) => {
          if (err instanceof Error && err.message.includes('is unreadable')) unreadable = version;
          app.log.error({ err, version, serving: app.gridLayers.current.version }, 'could not load the committed grid set; still serving the grids before it');
        });
    };
    const unsubscribe = await app.store.onGridSet(follow);
    const check = setInterval(() => {
      app.store
        .gridSetVersion()
        .then((version) => version && follow(version))
        .catch(() => undefined);
    }, GRID_SET_CHECK_MS);
    check.unref();
    app.addHook('onClose', async () => {
      clearInterval(check);
      unsubscribe();
      await pending;
    });
  },
  { name: 'grid-layer', dependencies: ['services'] },
);
