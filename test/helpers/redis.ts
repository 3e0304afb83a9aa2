// Starts a private redis-server on a free port for a test file, unless REDIS_URL
// is given (then each test run uses its own key prefix on that Redis).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { GiveUp, waitFor } from './wait.ts';

export interface TestRedis {
  url: string;
  /** A key prefix unique to this test file, so that a shared REDIS_URL stays clean. */
  prefix: string;
  /** The redis-server process, when this helper started it. */
  process: ChildProcess | null;
  port: number;
  dir: string | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

let counter = 0;
function uniquePrefix(): string {
  return `test:${process.pid}:${Date.now().toString(36)}:${++counter}:`;
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes'] for persistence tests. */
  args?: string[];
  /** Reuse a port (restarting a killed server on the same address). */
  port?: number;
  dir?: string;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  if (process.env.REDIS_URL && !options.args) {
    return { url: process.env.REDIS_URL, prefix: uniquePrefix(), process: null, port: 0, dir: null, stop: async () => {} };
  }
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'redis-test-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(options.args ?? [])], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitForRedis(url, child);
  return {
    url,
    prefix: uniquePrefix(),
    process: child,
    port,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForRedis(url: string, child: ChildProcess): Promise<void> {
  let spawnError: Error | null = null;
  child.once('error', (err) => (spawnError = err));
  await waitFor(
    async () => {
      if (spawnError) throw new GiveUp(`cannot start redis-server (apt-get install redis-server): ${String(spawnError)}`);
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect(); // throws while not up yet
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    },
    `redis-server to start at ${url}`,
    10_000,
  );
}
