// `npm test` runs this first: it names what this machine lacks for the suite (the
// redis-server, redis-sentinel and redis-cli the tests use, the Chromium the browser tests drive, a CJK font for
// the map's Chinese labels) and the one command that installs it, instead of a suite
// failing deep inside with a spawn error.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Need {
  what: string;
  missing: boolean;
  /** Debian's package that brings it. */
  pkg: string;
}

function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const needs: Need[] = [
  { what: 'redis-server (the tests start their own)', missing: !process.env.REDIS_URL && !onPath('redis-server'), pkg: 'redis-server' },
  { what: 'redis-sentinel (the failover test starts three)', missing: !onPath('redis-sentinel'), pkg: 'redis-sentinel' },
  { what: 'redis-cli (the cluster tests join three redis-server into a Redis Cluster)', missing: !onPath('redis-cli'), pkg: 'redis-tools' },
  { what: `Chromium at ${chromium} (browser tests; CHROMIUM_PATH to use another)`, missing: !existsSync(chromium), pkg: 'chromium' },
  { what: 'xmllint (the EDXL-HAVE export is validated against the OASIS schema)', missing: !onPath('xmllint'), pkg: 'libxml2-utils' },
  { what: 'a CJK font (the map and screenshots draw Chinese labels)', missing: !hasCjkFont(), pkg: 'fonts-wqy-microhei' },
];

const missing = needs.filter((n) => n.missing);
if (missing.length > 0) {
  console.error('npm test cannot run on this machine yet. Missing:');
  for (const n of missing) console.error(`  - ${n.what}`);
  console.error(`Install with:\n  sudo apt-get update && sudo apt-get install -y ${missing.map((n) => n.pkg).join(' ')}`);
  console.error('(or run `bash .ci/run`, which installs them and then runs the tests)');
  process.exit(1);
}
console.log('preflight: redis-server, redis-sentinel, redis-cli, Chromium, xmllint and a CJK font found');
