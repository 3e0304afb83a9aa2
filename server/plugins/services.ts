// The app's injected components (config, store, county, clock) and the write
// service built over them, decorated on the instance for every later plugin.
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { County } from '../county/county.ts';
import { LiveUpdates } from '../services/live-updates.ts';
import type { LiveStore } from '../store/store.ts';

export interface Services {
  config: Config;
  store: LiveStore;
  county: County;
  clock: () => number;
}

declare module 'fastify' {
  interface FastifyInstance extends Services {
    updates: LiveUpdates;
  }
}

export default fp<Services>(
  async (app, services) => {
    app.decorate('config', services.config);
    app.decorate('store', services.store);
    app.decorate('county', services.county);
    app.decorate('clock', services.clock);
    app.decorate('updates', new LiveUpdates(services.store, services.county.locator, services.clock));
  },
  { name: 'services' },
);
