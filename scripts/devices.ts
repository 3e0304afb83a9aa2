// Device credentials from the command line.
//   npx tsx scripts/devices.ts key PHONE     a new OsmAnd device key for the terminal PHONE in
//       DATA_DIR/terminals.json: prints the key once and writes only its SHA-256 (osmandKeyHash);
//       the old key stops working when the servers restart with the file. Rotate the same way.
//   npx tsx scripts/devices.ts clear PHONE   forgets the JT/T 808 registration of PHONE in the
//       store (REDIS_URL): its auth code stops working at once, and the terminal may register
//       again (with the identity terminals.json expects), getting a new code.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { TerminalMapping, terminalKey } from '../server/county/county.ts';
import { RedisStore } from '../server/store/redis-store.ts';
import { runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npx tsx scripts/devices.ts key PHONE | clear PHONE   (DATA_DIR, REDIS_URL, REDIS_PREFIX as for the server)';

async function main(): Promise<number> {
  const [command, phone, ...rest] = process.argv.slice(2);
  if (!phone || rest.length > 0 || !/^\d{1,20}$/.test(phone) || (command !== 'key' && command !== 'clear')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  if (command === 'key') {
    const path = join(config.dataDir, 'terminals.json');
    // Validated, but written back as read (fields this version does not know are kept).
    const terminals = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    const index = TerminalMapping.parse(terminals).findIndex((t) => terminalKey(t.phone) === terminalKey(phone));
    const entry = terminals[index] as { phone: string; ambulanceId: string; osmandKeyHash?: string } | undefined;
    if (!entry) {
      console.error(`${path} has no terminal ${phone}`);
      return 1;
    }
    const key = randomBytes(24).toString('base64url');
    entry.osmandKeyHash = createHash('sha256').update(key, 'utf8').digest('hex');
    writeFileSync(path, `${JSON.stringify(terminals, null, 2)}\n`);
    console.log(`设备 ${entry.phone}（${entry.ambulanceId}）的新密钥 (new device key), shown once:\n${key}`);
    console.log(`Traccar Client server URL: https://<board>/osmand/${key}   (device id ${entry.phone}); restart the servers to apply`);
    return 0;
  }
  if (!config.redisUrl) {
    console.error('clear needs REDIS_URL (the running board’s store; the in-process store forgets registrations on restart)');
    return 2;
  }
  const store = new RedisStore({ url: config.redisUrl, prefix: config.redisPrefix });
  try {
    const cleared = await store.clearTerminalRegistration(terminalKey(phone));
    console.log(cleared ? `终端 ${phone} 的注册已清除，可重新注册 (registration cleared)` : `终端 ${phone} 没有注册 (no registration)`);
    return cleared ? 0 : 1;
  } finally {
    await store.close();
  }
}

runCli(main);
