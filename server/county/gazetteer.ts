// The county's gazetteer for call intake: its towns, villages and communities, and
// grids, found by Chinese name or by pinyin (initials like "dhc" for 东湖村, or
// whole syllables like "yuanquan"), as dispatchers type them.
import { pinyin } from 'pinyin-pro';
import type { GazetteerEntry, GridCollection, LngLat, Town, VillageRecord } from '../schema/index.ts';

interface Indexed {
  entry: GazetteerEntry;
  name: string;
  initials: string;
  syllables: string;
  rank: number;
}

const KIND_RANK: Record<GazetteerEntry['kind'], number> = { town: 0, village: 1, grid: 2 };

function keysOf(name: string): { initials: string; syllables: string } {
  return {
    initials: pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase(),
    syllables: pinyin(name, { toneType: 'none', type: 'array', v: true }).join('').toLowerCase(),
  };
}

export interface Gazetteer {
  search(query: string, limit: number): GazetteerEntry[];
  readonly size: number;
}

/**
 * Towns at their centres; villages at their records' centres (without records, at a point
 * of their first grid); grids at a point inside each, named after the records' town and
 * village (by code) where there are records.
 */
export function buildGazetteer(
  towns: readonly Pick<Town, 'code' | 'name' | 'center'>[],
  grids: GridCollection,
  gridPoint: (gridId: string) => LngLat | undefined,
  villageRecords: readonly VillageRecord[] | null = null,
): Gazetteer {
  const entries: GazetteerEntry[] = towns.map((t) => ({ kind: 'town', id: t.code, name: t.name, townName: t.name, villageName: null, point: t.center }));
  const townNames = new Map(towns.map((t) => [t.code, t.name]));
  const villages = new Map<string, GazetteerEntry>();
  for (const v of villageRecords ?? []) {
    villages.set(v.code, { kind: 'village', id: v.code, name: v.name, townName: townNames.get(v.townCode) ?? '', villageName: v.name, point: v.center });
  }
  for (const f of grids.features) {
    const p = f.properties;
    const point = gridPoint(p.id);
    if (!point) continue;
    const townName = townNames.get(p.townCode) ?? p.townName;
    const villageName = villages.get(p.villageCode)?.name ?? p.villageName;
    if (!villageRecords && !villages.has(p.villageCode)) {
      villages.set(p.villageCode, { kind: 'village', id: p.villageCode, name: p.villageName, townName, villageName: p.villageName, point });
    }
    entries.push({ kind: 'grid', id: p.id, name: p.name, townName, villageName, point });
  }
  entries.push(...villages.values());
  const index: Indexed[] = entries.map((entry) => ({ entry, name: entry.name, ...keysOf(entry.name), rank: KIND_RANK[entry.kind] }));

  return {
    size: index.length,
    search(query, limit) {
      const q = query.trim().toLowerCase().replace(/\s+/g, '');
      if (!q) return [];
      const scored: { item: Indexed; score: number }[] = [];
      for (const item of index) {
        // Lower is better: where the query starts in the name, its initials or its syllables.
        const at = [item.name.indexOf(q), item.initials.indexOf(q), item.syllables.indexOf(q)].filter((i) => i >= 0);
        if (at.length === 0) continue;
        scored.push({ item, score: Math.min(...at) * 10 + item.rank });
      }
      scored.sort((a, b) => a.score - b.score || a.item.name.length - b.item.name.length || a.item.name.localeCompare(b.item.name, 'zh-CN'));
      return scored.slice(0, limit).map((s) => s.item.entry);
    },
  };
}
