// Keeps this process on the committed towns and villages, as plugins/road-layer.ts does for
// roads: on the store's notice (onTownSet) it loads the set and swaps app.townLayers in one
// step (the gazetteer, labels and the grids' names follow); a check every 30 s catches a lost notice.
import fp from 'fastify-plugin';
import { GRID_SET_CHECK_MS } from './grid-layer.ts';

export default fp(
  async (app) => {
    let pending: Promise<unknown> = Promise.resolve();
    let unreadable: string | null = null;
    const follow = (version: string) => {
      if (version === app.townLayers.current.version || version === unreadable) return;
      pending = app.townLayers
        .follow(app.store)
        .then((layer) => {
          if (layer)
            app.log.info({ version: layer.version, towns: layer.towns.length, villages: layer.villages?.length ?? 0 }, 'switched to the towns and villages committed by an import');
        })
        .catch((err: unknown) => {
          if (err instanceof Error && err.message.includes('is unreadable')) unreadable = version;
          app.log.error({ err, version, serving: app.townLayers.current.version }, 'could not load the committed town set; still serving the towns before it');
        });
    };
    const unsubscribe = await app.store.onTownSet(follow);
    const check = setInterval(() => {
      app.store
        .townSetVersion()
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
  { name: 'town-layer', dependencies: ['services'] },
);
