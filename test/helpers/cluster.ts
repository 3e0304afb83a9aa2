// A Redis Cluster of three primaries (no replicas) for one test file: three
// `redis-server --cluster-enabled yes` on free local ports (each with its bus port given, so
// none has to be port + 10000), joined by `redis-cli --cluster create`, in a temporary directory.
// Every process is killed when the test process exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redis.ts';
import { killAndRemove, track } from './process.ts';
import { waitFor } from './wait.ts';

export interface TestCluster {
  nodes: { host: string; port: number; child: ChildProcess }[];
  /** REDIS_CLUSTER as the board takes it. */
  clusterEnv: string;
  /** The port of the primary serving a key's slot, and the slot. */
  shardOf(key: string): Promise<{ slot: number; port: number }>;
  /** Runs `run` on a plain connection to one node. */
  ask<T>(port: number, run: (c: Redis) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

async function ask<T>(port: number, run: (c: Redis) => Promise<T>): Promise<T> {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => {});
  try {
    await c.connect();
    return await run(c);
  } finally {
    c.disconnect();
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

export async function startCluster(primaries = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-test-'));
  const nodes: TestCluster['nodes'] = [];
  const stop = () =>
    killAndRemove(
      nodes.map((n) => n.child),
      dir,
    );
  try {
    for (let i = 0; i < primaries; i++) {
      const [port, bus] = [await freePort(), await freePort()];
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(bus),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      nodes.push({ host: '127.0.0.1', port, child: track(child) });
      let spawnError: Error | null = null;
      child.once('error', (err) => (spawnError = err));
      await waitFor(
        async () => {
          if (spawnError) throw spawnError;
          return ask(port, async (c) => (await c.ping()) === 'PONG');
        },
        `cluster node on ${port}`,
        10_000,
      ).catch((err: unknown) => {
        throw spawnError ? new Error(`cannot start redis-server (apt-get install redis-server): ${String(spawnError)}`) : err;
      });
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    // Every node has all slots served and knows every other node.
    for (const n of nodes)
      await waitFor(
        () =>
          ask(n.port, async (c) => {
            const info = await c.cluster('INFO');
            return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${primaries}\\b`).test(info) && /cluster_slots_ok:16384/.test(info);
          }),
        `cluster_state:ok on ${n.port}`,
        20_000,
      );
  } catch (err) {
    await stop();
    throw err;
  }
  const first = nodes[0]!.port;
  return {
    nodes,
    clusterEnv: nodes.map((n) => `${n.host}:${n.port}`).join(','),
    shardOf: (key) =>
      ask(first, async (c) => {
        const slot = Number(await c.cluster('KEYSLOT', key));
        const range = (await c.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
        const primary = range?.[2];
        if (!primary) throw new Error(`no shard serves slot ${slot}`);
        return { slot, port: Number(primary[1]) };
      }),
    ask,
    stop,
  };
}
