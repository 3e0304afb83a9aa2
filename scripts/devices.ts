// Device credentials from the command line.
//   npx tsx scripts/devices.ts key PHONE     a new OsmAnd device key for the terminal PHONE: prints the
//       key once and keeps only its SHA-256. With REDIS_URL it is written to the store's bindings (the
//       truth once a board has started: every server process switches at once, no restart; the
//       vehicle holding PHONE as its JT/T 808 phone or OsmAnd id gets it, its OsmAnd id PHONE unless
//       it had one). Without REDIS_URL it goes into DATA_DIR/terminals.json (osmandKeyHash), which only
//       seeds a store that never held bindings. Admins do the same on the vehicles' screen (/vehicles).
//   npx tsx scripts/devices.ts clear PHONE   forgets the JT/T 808 registration of PHONE in the
//       store (REDIS_URL): its auth code stops working at once, and the terminal may register
//       again (with the identity its binding expects), getting a new code.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { TerminalMapping, terminalKey } from '../server/county/county.ts';
import { RedisStore } from '../server/store/redis-store.ts';
import { jt808Key, type StoredVehicleTerminals } from '../server/schema/terminals.ts';
import { updateBindings } from '../server/store/terminal-store.ts';
import { plan } from '../server/terminals/bindings.ts';
import { runCli } from './lib/import-cli.ts';

const USAGE = 'usage: npx tsx scripts/devices.ts key PHONE | clear PHONE   (DATA_DIR, REDIS_URL, REDIS_PREFIX as for the server)';

async function main(): Promise<number> {
  const [command, phone, ...rest] = process.argv.slice(2);
  if (!phone || rest.length > 0 || !/^\d{1,20}$/.test(phone) || (command !== 'key' && command !== 'clear')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  if (command === 'key' && config.redisUrl) return keyInStore(config.redisUrl, config.redisPrefix, phone);
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

/** A new key for the vehicle holding PHONE, in the store's bindings (one compare-and-set; every process follows). */
async function keyInStore(url: string, prefix: string | undefined, phone: string): Promise<number> {
  const store = new RedisStore({ url, prefix });
  try {
    const key = randomBytes(24).toString('base64url');
    const done = await updateBindings<StoredVehicleTerminals | string | null>(store.terminals, (set) => {
      const holder = [...set.vehicles.values()].find((b) => (b.jt808 && jt808Key(b.jt808.phone) === jt808Key(phone)) || b.osmand?.deviceId === phone);
      if (!holder) return { result: null };
      const planned = plan(
        set,
        holder.ambulanceId,
        { jt808: holder.jt808, osmand: { deviceId: holder.osmand?.deviceId ?? phone, key: 'new' }, move: false },
        { at: Date.now(), by: 'scripts/devices.ts', key },
      );
      return 'refusal' in planned ? { result: planned.refusal.message } : { writes: planned.writes, result: holder };
    });
    if (done === 'conflict' || done.result === null || typeof done.result === 'string') {
      console.error(done === 'conflict' ? 'the bindings kept changing: try again' : (done.result ?? `no vehicle holds terminal ${phone} (bind it on /vehicles first)`));
      return 1;
    }
    const deviceId = done.result.osmand?.deviceId ?? phone;
    console.log(`设备 ${deviceId}（${done.result.ambulanceId}）的新密钥 (new device key), shown once:\n${key}`);
    console.log(`Traccar Client server URL: https://<board>/osmand/${key}   (device id ${deviceId}); every server process uses it at once`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(main);
