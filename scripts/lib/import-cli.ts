// What the import CLIs (import:sites, import:grids, import:roads) share: the store they check against
// and commit to (REDIS_URL's, or an empty in-process one for a report only), and how
// they end (the exit code; a bad configuration says what is wrong, with no stack).
import { ConfigError, loadConfig, type Config } from '../../server/config.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import type { LiveStore } from '../../server/store/store.ts';

/** The configuration and store, or null (said why) when --commit has no REDIS_URL to commit to. */
export function importStore(commit: boolean, reportOnly: string): { config: Config; store: LiveStore } | null {
  const config = loadConfig(process.env);
  if (commit && !config.redisUrl) {
    console.error('--commit needs REDIS_URL (the running board’s store)');
    return null;
  }
  if (!config.redisUrl) console.log(reportOnly);
  const store = config.redisUrl ? new RedisStore({ url: config.redisUrl, prefix: config.redisPrefix }) : new MemoryStore();
  return { config, store };
}

/** Runs the CLI's main and exits with its code (2 for a bad configuration or a crash). */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(2);
    },
  );
}
