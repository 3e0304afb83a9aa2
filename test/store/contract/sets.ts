// The store contract, grid and road sets: a grid set with its live changes as one delta, listeners told (memory/sets.ts, redis/sets.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delta } from '../../../server/schema/index.ts';
import type { LiveStore } from '../../../server/store/store.ts';
import { samplingPoint } from '../../helpers/fixtures.ts';
import { waitFor } from './wait.ts';

export function setsContract(current: () => LiveStore): void {
  describe('grid and road sets', () => {
    let store: LiveStore;
    beforeEach(() => {
      store = current();
    });

    it('has no grid set until one is committed, then commits it with its live changes as one delta, telling every listener', async () => {
      expect(await store.getGridSet()).toBeUndefined();
      expect(await store.gridSetVersion()).toBeUndefined();
      await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('sp1', { gridId: 'OLD' }) }], 1);
      const heard: string[] = [];
      const deltas: Delta[] = [];
      const unheard = await store.onGridSet((v) => heard.push(v));
      await store.subscribe((d) => deltas.push(d));
      const set = { version: 'v1', gridsJson: '{"type":"FeatureCollection","features":[]}', committedAt: 5, by: 'admin' };
      const delta = await store.commitGridSet(
        set,
        (collections) => [
          { op: 'upsert', collection: 'samplingPoints', entity: { ...collections.samplingPoints.sp1!, gridId: 'NEW' } },
          { op: 'upsert', collection: 'gridStatus', entity: { id: 'NEW', risk: 'low', updatedAt: 5 } },
        ],
        5,
      );
      expect(delta?.seq).toBe(2);
      expect(delta?.changes).toHaveLength(2);
      expect(await store.getGridSet()).toEqual(set);
      expect(await store.gridSetVersion()).toBe('v1');
      expect((await store.get('samplingPoints', 'sp1'))?.gridId).toBe('NEW');
      expect((await store.deltasSince(1))?.map((d) => d.seq)).toEqual([2]);
      await waitFor(() => (heard.length > 0 && deltas.length > 0 ? true : undefined));
      expect(heard).toEqual(['v1']);
      expect(deltas.map((d) => d.changes.length)).toEqual([2]);
      // No live change: the set alone, no delta, still told.
      expect(await store.commitGridSet({ ...set, version: 'v2' }, () => [], 6)).toBeNull();
      expect(await store.seq()).toBe(2);
      expect((await store.getGridSet())?.version).toBe('v2');
      await waitFor(() => (heard.length > 1 ? true : undefined));
      expect(heard).toEqual(['v1', 'v2']);
      unheard();
      await store.commitGridSet({ ...set, version: 'v3' }, () => [], 7);
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual(['v1', 'v2']);
    });

    it('has no road set until one is committed, then keeps it, writes no delta, and tells every listener (the grid set apart)', async () => {
      expect(await store.getRoadSet()).toBeUndefined();
      expect(await store.roadSetVersion()).toBeUndefined();
      const heard: string[] = [];
      const gridsHeard: string[] = [];
      const unheard = await store.onRoadSet((v) => heard.push(v));
      await store.onGridSet((v) => gridsHeard.push(v));
      const set = { version: 'r1', roadsJson: '{"type":"FeatureCollection","features":[]}', committedAt: 5, by: 'admin' };
      await store.commitRoadSet(set);
      expect(await store.getRoadSet()).toEqual(set);
      expect(await store.roadSetVersion()).toBe('r1');
      expect(await store.seq()).toBe(0);
      await waitFor(() => (heard.length > 0 ? true : undefined));
      await store.commitRoadSet({ ...set, version: 'r2', by: 'cli' });
      await waitFor(() => (heard.length > 1 ? true : undefined));
      expect(heard).toEqual(['r1', 'r2']);
      expect(await store.getRoadSet()).toMatchObject({ version: 'r2', by: 'cli' });
      expect(await store.getGridSet()).toBeUndefined();
      unheard();
      await store.commitRoadSet({ ...set, version: 'r3' });
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual(['r1', 'r2']);
      expect(gridsHeard).toEqual([]);
    });

    it('commitGridSet() computes again when anything at all was written meanwhile, even an entity it did not change', async () => {
      for (const withChanges of [true, false]) {
        let calls = 0;
        const id = withChanges ? 'late' : 'later';
        const delta = await store.commitGridSet(
          { version: `v-${id}`, gridsJson: '{}', committedAt: 1, by: 'admin' },
          (collections) => {
            // Another process adds a point stamped with an old grid, after the state was read.
            if (calls++ === 0) void store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint(id, { gridId: 'OLD' }) }], 1);
            const point = collections.samplingPoints[id];
            return point
              ? [{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, gridId: 'NEW' } }]
              : withChanges
                ? [{ op: 'upsert', collection: 'gridStatus', entity: { id: 'G', risk: 'low', updatedAt: 1 } }]
                : [];
          },
          2,
        );
        expect(calls).toBe(2);
        expect((await store.get('samplingPoints', id))?.gridId).toBe('NEW');
        expect(delta?.changes).toEqual([{ op: 'upsert', collection: 'samplingPoints', entity: expect.objectContaining({ id, gridId: 'NEW' }) }]);
        expect(await store.gridSetVersion()).toBe(`v-${id}`);
      }
      expect(await store.get('gridStatus', 'G')).toBeUndefined();
    });
  });
}
