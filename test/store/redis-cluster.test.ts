// The store contract on a three-primary Redis Cluster: every script, pipeline and MULTI of the
// store runs there when all of a board's keys carry one hash tag; and a prefix without one is
// refused before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../server/store/redis-store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { storeContract } from './contract.ts';
import { terminalStoreContract } from './terminal-contract.ts';

let cluster: TestCluster;
let n = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const nodes = () => cluster.nodes.map(({ host, port }) => ({ host, port }));
storeContract('redis cluster', async () => new RedisStore({ cluster: { nodes: nodes() }, prefix: `{c${run}-${++n}}:` }));
terminalStoreContract('redis cluster', async () => new RedisStore({ cluster: { nodes: nodes() }, prefix: `{c${run}-${++n}}:` }));

describe('RedisStore on a cluster', () => {
  it('refuses a key prefix without a hash tag, and waiting for replicas', () => {
    expect(() => new RedisStore({ cluster: { nodes: nodes() }, prefix: 'epi:' })).toThrow(/hash tag/);
    expect(() => new RedisStore({ cluster: { nodes: nodes() }, prefix: '{}:' })).toThrow(/hash tag/);
    expect(() => new RedisStore({ cluster: { nodes: nodes() }, prefix: '{620922}:', waitReplicas: 1 })).toThrow(/not supported on a cluster/);
  });

  it('keeps each board in the one slot of its hash tag', async () => {
    const prefix = `{slot${run}}:`;
    const store = new RedisStore({ cluster: { nodes: nodes() }, prefix });
    try {
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1') }], 1);
      await store.putDocument('report', 'd1', '{}');
      const { slot, port } = await cluster.shardOf(`${prefix}seq`);
      const keys = await cluster.ask(port, (c) => c.cluster('GETKEYSINSLOT', slot, 1000));
      expect(keys).toEqual(expect.arrayContaining([`${prefix}seq`, `${prefix}events`, `${prefix}e:samplingPoints`, `${prefix}v:samplingPoints`, `${prefix}doc:report`]));
      for (const node of cluster.nodes.filter((x) => x.port !== port)) expect(await cluster.ask(node.port, (c) => c.keys(`${prefix}*`)), `keys on ${node.port}`).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
