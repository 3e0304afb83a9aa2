// A Sentinel-managed Redis for one test file: a primary, its replicas and three
// redis-sentinel processes (Debian's redis-sentinel package), each on a free local port in
// a temporary directory, with Sentinel's timings lowered so a failover takes seconds.
// Every process is killed when the test process exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { killAndRemove, track } from './process.ts';
import { freePort } from './redis.ts';
import { waitFor } from './wait.ts';

export { track };

export const MASTER_NAME = 'board';

export interface SentinelNode {
  port: number;
  child: ChildProcess;
}

export interface TestSentinels {
  /** REDIS_SENTINELS as the board takes it. */
  sentinelsEnv: string;
  sentinels: { host: string; port: number }[];
  /** The data nodes, the first one started as the primary. */
  nodes: SentinelNode[];
  /** The primary's port as the Sentinels name it now. */
  primaryPort(): Promise<number>;
  /** Resolves when every Sentinel names a primary on another port than `old`; returns it. */
  waitForNewPrimary(old: number, timeoutMs?: number): Promise<number>;
  node(port: number): SentinelNode | undefined;
  /** The last lines of each Sentinel's log (what they saw and decided), for failure messages. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

function startNode(port: number, dir: string, args: string[]): SentinelNode {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--repl-diskless-sync-delay', '0', ...args],
    { stdio: 'ignore' },
  );
  return { port, child: track(child) };
}

function client(port: number): Redis {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => {});
  return c;
}

async function ask<T>(port: number, run: (c: Redis) => Promise<T>): Promise<T> {
  const c = client(port);
  try {
    await c.connect();
    return await run(c);
  } finally {
    c.disconnect();
  }
}

/** `replicas` replicas of one primary, watched by three Sentinels (quorum two). */
export async function startSentinels(replicas = 2): Promise<TestSentinels> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-test-'));
  const nodes: SentinelNode[] = [];
  const sentinelNodes: SentinelNode[] = [];
  const stop = () =>
    killAndRemove(
      [...nodes, ...sentinelNodes].map((n) => n.child),
      dir,
    );
  try {
    const primary = await freePort();
    nodes.push(startNode(primary, mkdir(dir, `node-${primary}`), []));
    for (let i = 0; i < replicas; i++) {
      const port = await freePort();
      nodes.push(startNode(port, mkdir(dir, `node-${port}`), ['--replicaof', '127.0.0.1', String(primary)]));
    }
    // Every replica has synced before the Sentinels look.
    await waitFor(() => ask(primary, async (c) => ((await c.info('replication')).match(/state=online/g)?.length ?? 0) === replicas), `${replicas} replicas online`, 20_000);
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const home = mkdir(dir, `sentinel-${port}`);
      const conf = join(home, 'sentinel.conf');
      // Lowered from 30 s and 3 min: the primary is judged down after 2 s, a failover retried after 4 s.
      // Not 1 s: on a loaded machine a Sentinel that has just switched to the new primary may not
      // reach it within 1 s, and then fails it over too (seen: +switch-master, +sdown 1 s later, a
      // second election that turned the first one's primary back into a replica).
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${home}`,
          `logfile ${join(home, 'sentinel.log')}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 2000`,
          `sentinel failover-timeout ${MASTER_NAME} 4000`,
          `sentinel parallel-syncs ${MASTER_NAME} ${replicas}`,
          '',
        ].join('\n'),
      );
      const child = spawn('redis-sentinel', [conf], { stdio: 'ignore' });
      let spawnError: Error | null = null;
      child.once('error', (err) => (spawnError = err));
      sentinelNodes.push({ port, child: track(child) });
      await waitFor(
        async () => {
          if (spawnError) throw new Error(`cannot start redis-sentinel (apt-get install redis-sentinel): ${String(spawnError)}`);
          return ask(port, async (c) => (await c.ping()) === 'PONG');
        },
        `sentinel on ${port}`,
        10_000,
      ).catch((err: unknown) => {
        throw spawnError ? new Error(`cannot start redis-sentinel (apt-get install redis-sentinel): ${String(spawnError)}`) : err;
      });
    }
    // Each Sentinel knows the replicas and the two other Sentinels (they meet through the primary every 2 s).
    for (const s of sentinelNodes) {
      await waitFor(
        () =>
          ask(s.port, async (c) => {
            const fields = (await c.call('SENTINEL', 'MASTER', MASTER_NAME)) as string[];
            const info = Object.fromEntries(fields.flatMap((v, i) => (i % 2 === 0 ? [[v, fields[i + 1]]] : [])));
            return Number(info['num-slaves']) === replicas && Number(info['num-other-sentinels']) === 2;
          }),
        `sentinel ${s.port} sees ${replicas} replicas and 2 other sentinels`,
        20_000,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const sentinels = sentinelNodes.map((s) => ({ host: '127.0.0.1', port: s.port }));
  const primaryOf = (port: number) => ask(port, async (c) => Number(((await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[])[1]));
  return {
    sentinelsEnv: sentinels.map((s) => `${s.host}:${s.port}`).join(','),
    sentinels,
    nodes,
    primaryPort: () => primaryOf(sentinelNodes[0]!.port),
    waitForNewPrimary: (old, timeoutMs = 30_000) =>
      waitFor(
        async () => {
          const ports = await Promise.all(sentinelNodes.map((s) => primaryOf(s.port)));
          if (!ports.every((p) => p === ports[0] && p !== old)) return null;
          // Elected and promoted: the node itself says it is a primary.
          const role = await ask(ports[0]!, async (c) => ((await c.call('ROLE')) as [string])[0]);
          return role === 'master' ? ports[0]! : null;
        },
        `a new primary (not ${old})`,
        timeoutMs,
      ),
    node: (port) => nodes.find((n) => n.port === port),
    logs: (lines = 30) =>
      sentinelNodes
        .map((s) => {
          let text = '';
          try {
            text = readFileSync(join(dir, `sentinel-${s.port}`, 'sentinel.log'), 'utf8');
          } catch {
            // gone (stopped) or never written
          }
          return `sentinel :${s.port}\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
        })
        .join('\n'),
    stop,
  };
}

function mkdir(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path);
  return path;
}
