// The live store, decorated as app.store: the one the caller gives (a test sharing one
// between two apps: whoever opened it closes it), else the one the configuration names
// (Redis at REDIS_URL or behind Sentinels, else in process), opened here and so closed here. Registered first,
// its onClose runs last (Fastify closes plugins in reverse), after every user of the store.
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { createStore } from '../store/connect.ts';
import type { LiveStore } from '../store/store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: LiveStore;
  }
}

export interface StoreOptions {
  config: Config;
  /** A store opened (and closed) by the caller; absent: the configuration's, opened here. */
  store?: LiveStore;
}

/** The configuration's store: Redis (REDIS_URL, or a Sentinel-managed primary), else in process (store/connect.ts). */
export const openStore = (config: Config, onError: (message: string, err: unknown) => void): LiveStore => createStore(config, onError);

export default fp<StoreOptions>(
  async (app, { config, store }) => {
    if (store) {
      app.decorate('store', store);
      return;
    }
    const opened = openStore(config, (message, err) => app.log.error({ err }, message));
    app.decorate('store', opened);
    app.addHook('onClose', () => opened.close());
  },
  { name: 'store' },
);
