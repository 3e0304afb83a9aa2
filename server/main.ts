// Starts the process: configuration, store, county, app, simulator, graceful
// shutdown. Everything else lives in app.ts and its plugins.
import { buildApp } from './app.ts';
import { accountsOnPassword, ensureDemoAccounts } from './auth/accounts.ts';
import { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig, type Config } from './config.ts';
import { loadCounty } from './county/county.ts';
import { seatTownPointIds, seedIfEmpty } from './county/seed.ts';
import { Simulator } from './simulator/simulator.ts';
import { simulatedPast } from './simulator/history-backfill.ts';
import { historyPoint } from './services/history.ts';
import { MemoryStore } from './store/memory-store.ts';
import { RedisStore } from './store/redis-store.ts';
import type { LiveStore } from './store/store.ts';

function createStore(config: Config, log: (message: string, err: unknown) => void): LiveStore {
  if (!config.redisUrl) return new MemoryStore({ eventRetention: config.eventRetention });
  return new RedisStore({ url: config.redisUrl, prefix: config.redisPrefix, eventRetention: config.eventRetention, onError: log });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const clock = () => Date.now();
  const county = await loadCounty(config.dataDir);
  // The store reports to the console until the app's logger exists.
  let logError = (message: string, err: unknown) => console.error(message, err);
  const log = (message: string, err: unknown) => logError(message, err);
  const store = createStore(config, log);
  const app = await buildApp({
    config,
    store,
    county,
    clock,
    logger: { level: config.logLevel },
  });
  logError = (message, err) => app.log.error({ err }, message);

  try {
    const seat = county.towns.find((t) => t.seat)?.name ?? '';
    if (await ensureDemoAccounts(store, config.demoPassword, clock(), seatTownPointIds(county.seed, app.gridLayers.locator, seat))) {
      app.log.warn('created demo accounts admin, commander, dispatcher, field, wall (password from DEMO_PASSWORD)');
    }
  } catch (err) {
    app.log.fatal(err instanceof Error ? err.message : String(err));
    await app.close();
    await store.close();
    process.exit(1);
  }
  if (config.production) {
    const exposed = await accountsOnPassword(store, DEFAULT_DEMO_PASSWORD);
    if (exposed.length > 0) {
      app.log.fatal({ accounts: exposed }, 'accounts still sign in with the published demo password: change or disable them before running in production');
      await app.close();
      await store.close();
      process.exit(1);
    }
  }
  if (await seedIfEmpty(store, county.seed, app.gridLayers.locator, clock())) {
    app.log.info('seeded the store with the sample county');
  }

  const simulator = config.simulator
    ? new Simulator({
        store,
        updates: app.updates,
        batches: app.sampleBatches,
        rounds: app.testingRounds,
        demoRound: true,
        roads: county.roads,
        clock,
        tickMs: config.simulatorTickMs,
        speed: config.simulatorSpeed,
        onError: log,
      })
    : null;

  // Draining: stop accepting connections, tell live screens to reconnect (through the
  // load balancer, to another process), let requests under way finish, then close the
  // store. A request that hangs past SHUTDOWN_GRACE_SECONDS is cut off: exit code 1.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    app.log.info({ signal }, 'shutting down: draining');
    const force = setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'requests still under way at the end of the grace period: exiting anyway');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    app.history.stop();
    app.alerts.stop();
    app.reports.stop();
    app.sampleBatches.stop();
    app.testingRounds.stop();
    await Promise.all([app.close(), simulator?.stop()]);
    await store.close();
    clearTimeout(force);
    app.log.info({ ms: Date.now() - started }, 'drained; exiting');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  await simulator?.start();
  // A demo board starts with 12 simulated hours behind it, so the trend charts have a past.
  if (simulator && (await app.history.since(0)).length === 0) {
    const { collections } = await store.snapshot();
    const present = historyPoint(collections, app.gridLayers.current.facts, clock(), config.escalationThreshold, config.queueThresholds);
    await app.history.backfill(simulatedPast(present));
    app.log.info('wrote 12 simulated hours of key-figure history for the sample county');
  }
  app.history.start();
  app.alerts.start(config.alertIntervalMs);
  app.reports.start();
  app.sampleBatches.start(600_000, (message, err) => app.log.error({ err }, message));
  app.testingRounds.startPruning(3_600_000, (message, err) => app.log.error({ err }, message));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    `\n  ${county.info.name}疫情防控指挥部 · 实时态势 board on http://localhost:${port}/  (store: ${store.kind}, simulator: ${simulator ? 'on' : 'off'})\n`,
  );
}

void main();
