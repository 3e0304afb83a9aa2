// Starts the real server as its own OS process (`tsx server/main.ts`), the way
// production runs it, and waits for it to answer /api/health.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { freePort, startRedis, type TestRedis } from './redis.ts';
import { DEMO_PASSWORD } from './server.ts';
import { GiveUp, waitFor } from './wait.ts';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Kills `child` with SIGKILL when this process exits, if it is still running then (the board processes too). */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test that fails, times out or is interrupted leaves nothing running.
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  return child;
}

/** SIGKILLs those of `children` still running, waits until they are gone, then removes their directory. */
export async function killAndRemove(children: ChildProcess[], dir: string): Promise<void> {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map((c) => {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      return exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `env.PORT` restarts a server on the address its clients know; otherwise a free port.
 * `readyMs`: how long it may take to answer /api/health (tsx compiles the server on start,
 * which takes several times longer on a machine other suites are loading).
 */
export async function startServerProcess(env: Record<string, string>, { readyMs = 30_000 }: { readyMs?: number } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', SIMULATOR: 'off', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new GiveUp(`server process exited with ${child.exitCode}:\n${out}`);
        return (await fetch(`${url}/api/health`)).ok; // throws while not listening yet
      },
      'the server process to answer /api/health',
      readyMs,
      100,
    );
  } catch (err) {
    if (err instanceof GiveUp) throw err;
    child.kill('SIGKILL');
    throw new Error(`server process did not answer in ${readyMs / 1000} s:\n${out}`, { cause: err });
  }
  return {
    url,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}

export interface TwoProcesses {
  redis: TestRedis;
  a: ServerProcess;
  b: ServerProcess;
  stop(): Promise<void>;
}

/**
 * Two server processes on one private Redis, as in production behind a load balancer
 * (alert rules once at start only: they write live state too).
 */
export async function startTwoProcesses(): Promise<TwoProcesses> {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, DEMO_PASSWORD, ALERT_INTERVAL_SECONDS: '3600' };
  const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  return {
    redis,
    a,
    b,
    stop: async () => {
      await a.stop();
      await b.stop();
      await redis.stop();
    },
  };
}
