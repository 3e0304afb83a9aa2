// Starts the process: reads the configuration, builds the app (app.ts: every plugin, the
// start-up work and the jobs), listens, and drains on SIGINT/SIGTERM. Nothing else.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { loadCounty } from './county/county.ts';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

const config = configOrExit();
const app = await buildApp({ config, county: await loadCounty(config.dataDir), clock: () => Date.now(), logger: { level: config.logLevel } });

// Draining: stop accepting connections, tell live screens to reconnect (through the load
// balancer, to another process), let requests under way finish, then close the store (the
// plugins' onClose). A request that hangs past SHUTDOWN_GRACE_SECONDS is cut off: exit code 1.
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  app.log.info({ signal }, 'shutting down: draining');
  setTimeout(() => {
    app.log.error({ graceMs: config.shutdownGraceMs }, 'requests still under way at the end of the grace period: exiting anyway');
    process.exit(1);
  }, config.shutdownGraceMs).unref();
  await app.close();
  app.log.info({ ms: Date.now() - started }, 'drained; exiting');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  app.log.fatal(err instanceof Error ? err.message : String(err));
  await app.close();
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
console.log(`\n  ${app.county.info.name}疫情防控指挥部 · 实时态势 board on http://localhost:${port}/  (store: ${app.store.kind}, simulator: ${app.simulator ? 'on' : 'off'})\n`);
