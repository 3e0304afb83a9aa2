// bench:live's baseline server: the app as server/main.ts starts it, from the same
// environment, but with the naive fan-out (naive-gateway.ts). SIGTERM closes it cleanly
// (the CPU profile, when asked for, is written on exit).
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { loadCounty } from '../../server/county/county.ts';
import { NaiveGateway } from './naive-gateway.ts';

const config = loadConfig(process.env);
const county = await loadCounty(config.dataDir);
const app = await buildApp({ config, county, clock: () => Date.now(), logger: { level: config.logLevel }, liveGateway: NaiveGateway });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: config.host, port: config.port });
