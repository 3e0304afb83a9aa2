// Whether dist/client is missing or older than the sources it is built from.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

export function clientBuildIsStale(): boolean {
  const built = 'dist/client/index.html';
  if (!existsSync(built)) return true;
  const sources = ['client', 'server/schema', 'server/domain', 'vite.config.ts', 'package-lock.json'].filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

const LOCK = 'dist/.client-build.lock';

/**
 * Builds dist/client. Test runs started side by side take turns (a lock directory;
 * one older than two minutes is taken as abandoned) and skip a build another run
 * has just made fresh.
 */
export function buildClient(): void {
  mkdirSync('dist', { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${LOCK} is held: another build is running or crashed`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (clientBuildIsStale()) {
      execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
