// A site import nobody commits or cancels expires after PENDING_TTL_MS: the next upload
// closes it (its rows dropped from the store, its report kept, saying so), and a commit
// that comes too late is refused; one still fresh is untouched and commits.
import { describe, expect, it } from 'vitest';
import { Imports } from '../../server/services/imports.ts';
import { PENDING_TTL_MS } from '../../server/services/pending-imports.ts';
import { PendingImport } from '../../server/schema/index.ts';
import { MemoryStore } from '../../server/store/memory-store.ts';
import { sampleCounty } from '../helpers/server.ts';

const csv = (id: string) => new TextEncoder().encode(`编号,名称,经度,纬度,房间数\n${id},导入测试酒店,95.79,40.52,88\n`);

describe('a site import left pending', () => {
  it('expires after a day: rows dropped, report kept, a late commit refused', async () => {
    const county = await sampleCounty();
    const store = new MemoryStore();
    let now = 1_000_000;
    const imports = new Imports(store, county.locator, () => now);
    const upload = async (id: string) => {
      const outcome = await imports.upload(csv(id), { layer: 'hotels', crs: 'wgs84' }, 'admin');
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.value;
    };
    const old = await upload('EXP-H1');
    now += PENDING_TTL_MS - 1000;
    const fresh = await upload('EXP-H2');
    now += 2000;
    // The next upload sweeps: the first is a day old, the second is not.
    await upload('EXP-H3');
    const stored = PendingImport.parse(JSON.parse((await store.getDocument('import', old.id))!));
    expect(stored.report.status).toBe('cancelled');
    expect(stored.report.fileErrors.at(-1)).toMatch(/导入已过期/);
    expect(stored.good).toEqual([]);
    expect(await imports.commit(old.id, false, 'admin')).toMatchObject({ ok: false, error: 'conflict' });
    expect((await imports.get(fresh.id))!.status).toBe('pending');
    expect((await imports.commit(fresh.id, false, 'admin')).ok).toBe(true);
    expect(await store.get('hotels', 'EXP-H2')).toBeDefined();
    expect(await store.get('hotels', 'EXP-H1')).toBeUndefined();
    // Found at commit too, with no upload in between.
    const late = await upload('EXP-H4');
    now += PENDING_TTL_MS + 1;
    expect(await imports.commit(late.id, false, 'admin')).toMatchObject({ ok: false, message: expect.stringContaining('导入已过期') });
    expect((await imports.get(late.id))!.status).toBe('cancelled');
  });
});
