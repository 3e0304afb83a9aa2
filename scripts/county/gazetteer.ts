// The real towns and villages (admin-divisions.csv rows) with their town centres.
import type { DivisionRow } from './sources.ts';

export interface Village {
  code: string;
  name: string;
  /** The name without the committee suffix: 东湖村委会 → 东湖村, 疏勒社区居委会 → 疏勒社区. */
  shortName: string;
  kind: 'community' | 'village';
  townCode: string;
  townName: string;
}

export interface TownPlace {
  code: string;
  name: string;
  center: [number, number];
  seat: boolean;
}

function shortName(name: string): string {
  // 东湖村委会 → 东湖村, 疏勒社区居委会 → 疏勒社区; names without a committee suffix stay as they are.
  return name.replace(/村(民)?委(员)?会$/, '村').replace(/(社区)?居(民)?委(员)?会$/, '社区');
}

/** The villages of the rows, and their towns at the given centres (by town name). */
export function readGazetteer(rows: DivisionRow[], centres: Record<string, [number, number]>, seat: string): { villages: Village[]; towns: TownPlace[] } {
  const villages = rows.map((r): Village => ({ code: r.code, name: r.name, shortName: shortName(r.name), kind: r.kind, townCode: r.townCode, townName: r.townName }));
  const towns = new Map<string, TownPlace>();
  for (const v of villages) {
    const center = centres[v.townName];
    if (!center) throw new Error(`no centre placed for town ${v.townName}`);
    towns.set(v.townCode, { code: v.townCode, name: v.townName, center, seat: v.townName === seat });
  }
  return { villages, towns: [...towns.values()].sort((a, b) => a.code.localeCompare(b.code)) };
}
