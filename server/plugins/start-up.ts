// What the app does once before it serves, on `onReady` (so before it listens): demo
// accounts in a store with none (DEMO_PASSWORD), production's refusal of the published demo
// password, the sample county in an empty store, then the simulator when it is on and, for
// a simulated county with no history yet, its past 12 hours. A failure stops the start: the
// error rejects app.listen (and app.ready), and main.ts exits 1.
import fp from 'fastify-plugin';
import { accountsOnPassword, ensureDemoAccounts } from '../auth/accounts.ts';
import { DEFAULT_DEMO_PASSWORD } from '../config.ts';
import { seatTownPointIds, seedIfEmpty } from '../county/seed.ts';
import { historyPoint } from '../services/history.ts';
import { simulatedPast } from '../simulator/history-backfill.ts';

export interface StartUpOptions {
  /** A simulated county with no history gets 12 simulated hours of it (tests turn it off). */
  demoPast: boolean;
}

export default fp<StartUpOptions>(
  async (app, { demoPast }) => {
    app.addHook('onReady', async () => {
      const { config, county, store, clock } = app;
      const { locator } = app.gridLayers;
      const seat = county.towns.find((t) => t.seat)?.name ?? '';
      if (await ensureDemoAccounts(store, config.demoPassword, clock(), seatTownPointIds(county.seed, locator, seat))) {
        app.log.warn('created demo accounts admin, commander, dispatcher, field, wall (password from DEMO_PASSWORD)');
      }
      // Only testConfig can make a production configuration that names the published password itself.
      if (config.production && config.demoPassword !== DEFAULT_DEMO_PASSWORD) {
        const exposed = await accountsOnPassword(store, DEFAULT_DEMO_PASSWORD);
        if (exposed.length > 0) {
          throw new Error(`accounts still sign in with the published demo password (${exposed.join(', ')}): change or disable them before running in production`);
        }
      }
      if (await seedIfEmpty(store, county.seed, locator, clock())) app.log.info('seeded the store with the sample county');
      if (!app.simulator) return;
      await app.simulator.start();
      // A demo board starts with 12 simulated hours behind it, so the trend charts have a past.
      if (demoPast && (await app.history.since(0)).length === 0) {
        const { collections } = await store.snapshot();
        const present = historyPoint(collections, app.townLayers.facts(app.gridLayers.current), clock(), config.escalationThreshold, config.queueThresholds);
        await app.history.backfill(simulatedPast(present, app.timeZone));
        app.log.info('wrote 12 simulated hours of key-figure history for the sample county');
      }
    });
  },
  { name: 'start-up', dependencies: ['services', 'simulator'] },
);
