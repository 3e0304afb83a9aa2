// Keeps this process on the committed road set, as plugins/grid-layer.ts does for grids: on the
// store's notice (onRoadSet) it loads the set and swaps app.roadLayers in one step, so the
// router, ETAs and coverage route on the new network; a check every 30 s catches a lost notice.
import fp from 'fastify-plugin';
import { GRID_SET_CHECK_MS } from './grid-layer.ts';

export default fp(
  async (app) => {
    let pending: Promise<unknown> = Promise.resolve();
    let unreadable: string | null = null;
    const follow = (version: string) => {
      if (version === app.roadLayers.current.version || version === unreadable) return;
      pending = app.roadLayers
        .follow(app.store)
        .then((layer) => {
          if (layer) app.log.info({ version: layer.version, vertices: layer.network.vertices.length }, 'switched to the roads committed by an import');
        })
        .catch((err: unknown) => {
          if (err instanceof Error && err.message.includes('is unreadable')) unreadable = version;
          app.log.error({ err, version, serving: app.roadLayers.current.version }, 'could not load the committed road set; still routing on the roads before it');
        });
    };
    const unsubscribe = await app.store.onRoadSet(follow);
    const check = setInterval(() => {
      app.store
        .roadSetVersion()
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
  { name: 'road-layer', dependencies: ['services'] },
);
