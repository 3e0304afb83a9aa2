import { expect, it } from 'vitest';
import { LiveReplica } from '../../server/realtime/replica.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

const upsert = (queue: number) => [{ op: 'upsert' as const, collection: 'samplingPoints' as const, entity: samplingPoint('p', { queue }) }];

it('follows the feed in order, holds deltas while loading, and reloads after a gap', async () => {
  const store = new MemoryStore();
  await store.apply(upsert(1), 1);
  const replica = new LiveReplica(store, () => {});
  expect(replica.current(0)).toBeNull();
  const loading = replica.load();
  replica.apply({ seq: 1, at: 1, changes: upsert(1) }); // already in what the load reads
  const d2 = await store.apply(upsert(2), 2);
  replica.apply(d2); // arrives while loading
  await loading;
  expect(replica.current(5)).toMatchObject({ seq: 2, at: 5, collections: { samplingPoints: { p: { queue: 2 } } } });

  // A hole in the feed (seq 4 without 3): the replica reloads from the store.
  await store.apply(upsert(3), 3);
  const d4 = await store.apply(upsert(4), 4);
  replica.apply(d4);
  expect(replica.current(6)).toBeNull();
  await new Promise((r) => setTimeout(r, 10));
  expect(replica.current(6)).toMatchObject({ seq: 4, collections: { samplingPoints: { p: { queue: 4 } } } });
  replica.apply(d4); // a duplicate changes nothing
  expect(replica.current(7)?.seq).toBe(4);
});
