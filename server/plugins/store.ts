// The live store, decorated as app.store: the one the caller gives (a test sharing one
// between two apps: whoever opened it closes it), else the one the configuration names
// (Redis at REDIS_URL, behind Sentinels or a cluster, else in process), opened here and so closed here. Registered first,
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
  /** The county's code: on a Redis Cluster the board's keys carry it as their hash tag. */
  countyCode: string;
  /** A store opened (and closed) by the caller; absent: the configuration's, opened here. */
  store?: LiveStore;
}

/** The configuration's store: Redis (REDIS_URL, a Sentinel-managed primary, a cluster), else in process (store/connect.ts). */
export const openStore = (config: Config, countyCode: string, onError: (message: string, err: unknown) => void): LiveStore => createStore(config, countyCode, onError);

export default fp<StoreOptions>(
  async (app, { config, countyCode, store }) => {
    if (store) {
      app.decorate('store', store);
      return;
    }
    const opened = openStore(config, countyCode, (message, err) => app.log.error({ err }, message));
    app.decorate('store', opened);
    app.addHook('onClose', () => opened.close());
  },
  { name: 'store' },
);
