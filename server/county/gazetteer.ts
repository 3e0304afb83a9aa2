// The county's gazetteer for call intake: its towns, villages and communities, and
// grids, found by Chinese name or by pinyin (initials like "dhc" for 东湖村, or
// whole syllables like "yuanquan"), as dispatchers type them.
import { pinyin } from 'pinyin-pro';
import type { GazetteerEntry, GridCollection, LngLat, Town } from '../schema/index.ts';

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

export function buildGazetteer(towns: Town[], grids: GridCollection, gridPoint: (gridId: string) => LngLat | undefined): Gazetteer {
  const entries: GazetteerEntry[] = towns.map((t) => ({ kind: 'town', id: t.code, name: t.name, townName: t.name, villageName: null, point: t.center }));
  const villages = new Map<string, GazetteerEntry>();
  for (const f of grids.features) {
    const p = f.properties;
    const point = gridPoint(p.id);
    if (!point) continue;
    if (!villages.has(p.villageCode)) {
      villages.set(p.villageCode, { kind: 'village', id: p.villageCode, name: p.villageName, townName: p.townName, villageName: p.villageName, point });
    }
    entries.push({ kind: 'grid', id: p.id, name: p.name, townName: p.townName, villageName: p.villageName, point });
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
