// Committing a grid import through the service, on the in-process store: a write landing
// between the commit reading the live state and writing it (another process still on the
// old grids adding a sampling point) is stamped with the new grids too; a file checked
// against grids another import has since replaced is refused; a pending import
// left alone expires (its parsed grids and preview are dropped); a committed set kept in
// the store that is unreadable is refused with a message that says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { buildGridLayer, GridLayers, storedOrFileLayer } from '../../server/county/grid-layer.ts';
import { GridImports, PENDING_TTL_MS } from '../../server/services/grid-imports.ts';
import type { Change, GridCollection, LiveCollections } from '../../server/schema/index.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import type { StoredGridSet } from '../../server/store/store.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

const fixture = (name: string) => readFileSync(`test/fixtures/grids/${name}`);
const outline = (JSON.parse(fixture('outline.geojson').toString()) as FeatureCollection<Polygon>).features[0]!;
const towns = [{ code: '620922100', name: '渊泉镇' }];
/** The board's grids before the import: one grid, the whole outline. */
const oldGrids: GridCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: outline.geometry,
      properties: { id: 'OLD', name: '旧网格', villageCode: '620922100001', villageName: '疏勒社区居委会', townCode: '620922100', townName: '渊泉镇', population: 1, lead: '' },
    },
  ],
};

/** A store on which another process writes once, right after the commit read the live state. */
class RacingStore extends MemoryStore {
  race: (() => Promise<unknown>) | null = null;
  override commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number) {
    return super.commitGridSet(
      set,
      (collections) => {
        const race = this.race;
        this.race = null;
        if (race) void race();
        return changesFor(collections);
      },
      at,
    );
  }
}

/** The report of an upload that must have been read. */
async function uploaded(imports: GridImports, bytes: Uint8Array) {
  const outcome = await imports.upload(bytes, { crs: 'wgs84' }, 'admin');
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

function setup(store = new RacingStore()) {
  let now = 1_000_000;
  const layers = new GridLayers(buildGridLayer(oldGrids));
  const imports = new GridImports(store, layers, () => now, { outline, towns });
  return { store, layers, imports, advance: (ms: number) => (now += ms) };
}

describe('committing a grid import', () => {
  it('stamps with the new grids an entity written after the live state was read', async () => {
    const { store, imports, layers } = setup();
    await store.apply([{ op: 'upsert', collection: 'gridStatus', entity: { id: 'OLD', risk: 'low', updatedAt: 1 } }], 1);
    await store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('P1', { location: [95.78, 40.52], gridId: 'OLD' }) }], 2);
    const report = await uploaded(imports, fixture('four.geojson'));
    expect(report.errors).toEqual([]);
    // Another process, still on the old grids, adds a point in what becomes T-02.
    store.race = () => store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('P2', { location: [95.72, 40.52], gridId: 'OLD' }) }], 3);
    const committed = await imports.commit(report.id, true, 'admin');
    expect(committed.ok, committed.ok ? '' : committed.message).toBe(true);
    expect(layers.current.props.map((g) => g.id)).toEqual(['T-01', 'T-02', 'T-03', 'T-04']);
    const { collections } = await store.snapshot();
    expect(collections.samplingPoints.P1!.gridId).toBe('T-01');
    expect(collections.samplingPoints.P2!.gridId).toBe('T-02');
    expect(Object.keys(collections.gridStatus).sort()).toEqual(['T-01', 'T-02', 'T-03', 'T-04']);
  });

  it('refuses to commit a file checked against grids another import has since replaced', async () => {
    const { store, imports, layers } = setup();
    await store.apply([{ op: 'upsert', collection: 'gridStatus', entity: { id: 'OLD', risk: 'low', updatedAt: 1 } }], 1);
    // Two admins check files against the same grids; one commits first.
    const first = await uploaded(imports, fixture('four.geojson'));
    const second = await uploaded(imports, fixture('four.kml'));
    expect(second.baseVersion).toBe(first.baseVersion);
    expect((await imports.commit(first.id, true, 'admin')).ok).toBe(true);
    const late = await imports.commit(second.id, true, 'admin');
    expect(late).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('网格已被另一次导入更换') });
    // Nothing changed by the refusal; checked again, the same file commits.
    const version = layers.current.version;
    expect((await store.snapshot()).collections.gridStatus).toHaveProperty('T-01');
    const again = await uploaded(imports, fixture('four.kml'));
    expect(again.baseVersion).toBe(version);
    expect((await imports.commit(again.id, true, 'admin')).ok).toBe(true);
  });

  it('leaves both processes on the last set when a second import is committed before the first one’s own swap', async () => {
    const store = new RacingStore();
    const a = setup(store);
    const b = setup(store);
    // Each process follows the store's notices, as plugins/grid-layer.ts does.
    for (const p of [a, b]) await store.onGridSet(() => void p.layers.follow(store));
    const first = await uploaded(a.imports, fixture('four.geojson'));
    const fc = JSON.parse(fixture('four.geojson').toString()) as FeatureCollection<Polygon, Record<string, unknown>>;
    fc.features[0]!.properties['网格名称'] = '改名网格';
    // B checks and commits a second import (against the first set, now in the store) while
    // A's commit of the first is between its store write and its swap.
    let secondVersion = '';
    const commit = store.commitGridSet.bind(store);
    store.commitGridSet = async (set, changesFor, at) => {
      const delta = await commit(set, changesFor, at);
      store.commitGridSet = commit;
      const second = await uploaded(b.imports, new TextEncoder().encode(JSON.stringify(fc)));
      const done = await b.imports.commit(second.id, true, 'admin');
      secondVersion = done.ok ? done.value.committed!.version : '';
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
      return delta;
    };
    expect((await a.imports.commit(first.id, true, 'admin')).ok).toBe(true);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(secondVersion).not.toBe('');
    expect(await store.gridSetVersion()).toBe(secondVersion);
    expect(a.layers.current.version).toBe(secondVersion);
    expect(b.layers.current.version).toBe(secondVersion);
  });

  it('expires a pending import left alone: its grids and preview are dropped, and it cannot be committed', async () => {
    const { store, imports, advance } = setup();
    const first = await uploaded(imports, fixture('four.geojson'));
    expect(await imports.preview(first.id)).toBeDefined();
    advance(PENDING_TTL_MS + 1);
    // Any later upload sweeps the expired ones.
    await imports.upload(fixture('four.geojson'), { crs: 'wgs84' }, 'admin');
    expect(await store.getDocument('grid-import-grids', first.id)).toBeFalsy();
    expect(await store.getDocument('grid-import-preview', first.id)).toBeFalsy();
    expect((await imports.get(first.id))!.status).toBe('cancelled');
    expect(await imports.preview(first.id)).toBeUndefined();
    const late = await imports.commit(first.id, true, 'admin');
    expect(late.ok).toBe(false);
    // Even before any sweep, an expired import is not committed.
    const second = await uploaded(imports, fixture('four.geojson'));
    advance(PENDING_TTL_MS + 1);
    const stale = await imports.commit(second.id, true, 'admin');
    expect(stale.ok ? '' : stale.message).toMatch(/过期/);
  });

  it('refuses a committed grid set that is unreadable, saying so', async () => {
    const file = { grids: oldGrids, gridsJson: JSON.stringify(oldGrids) };
    const stored = (gridsJson: string) => ({ getGridSet: async () => ({ version: 'v1', gridsJson, committedAt: 1, by: 'admin' }) });
    for (const corrupt of ['{"type":"FeatureColl', '{}', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}]}']) {
      await expect(storedOrFileLayer(stored(corrupt), file)).rejects.toThrow(/committed grid set v1 is unreadable/);
    }
    expect((await storedOrFileLayer({ getGridSet: async () => undefined }, file)).props[0]!.id).toBe('OLD');
  });
});
