// Keeps this process on the committed grid set: when any process commits a grid import the
// store says so (onGridSet), and this process loads the set and swaps app.gridLayers in one
// step (the realtime plugin then tells its screens to reload the grids). A check every 30 s
// catches a notice lost while the store was unreachable.
import fp from 'fastify-plugin';
import { buildGridLayer } from '../county/grid-layer.ts';
import type { GridCollection } from '../schema/index.ts';

export const GRID_SET_CHECK_MS = 30_000;

export default fp(
  async (app) => {
    let queue = Promise.resolve();
    // One load at a time, in the order heard: the last commit heard wins.
    const follow = (version: string) => {
      queue = queue.then(async () => {
        if (version === app.gridLayers.current.version) return;
        const stored = await app.store.getGridSet();
        if (!stored || stored.version === app.gridLayers.current.version) return;
        const layer = buildGridLayer(JSON.parse(stored.gridsJson) as GridCollection, stored.gridsJson);
        app.gridLayers.swap(layer);
        app.log.info({ version: layer.version, grids: layer.props.length, by: stored.by }, 'switched to the grids committed by an import');
      }).catch((err: unknown) => app.log.error({ err }, 'could not load the committed grid set'));
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
      await queue;
    });
  },
  { name: 'grid-layer', dependencies: ['services'] },
);
