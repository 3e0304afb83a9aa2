// The real towns and villages (admin-divisions.csv) and hand-placed town centres.
import { readFileSync } from 'node:fs';

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

/**
 * Approximate town centres, placed by hand from public maps (the CSV has no
 * coordinates). Good to a few kilometres: the sample needs plausible, not exact.
 */
export const TOWN_CENTRES: Record<string, [number, number]> = {
  渊泉镇: [95.782, 40.52],
  柳园镇: [95.45, 41.1],
  三道沟镇: [96.42, 40.58],
  南岔镇: [95.95, 40.4],
  锁阳城镇: [96.12, 40.27],
  瓜州镇: [95.7, 40.44],
  西湖镇: [95.28, 40.5],
  河东镇: [95.88, 40.56],
  双塔镇: [96.25, 40.5],
  腰站子东乡族镇: [96.05, 40.61],
  布隆吉乡: [96.55, 40.45],
  梁湖乡: [95.84, 40.46],
  广至藏族乡: [95.58, 40.32],
  七墩回族东乡族乡: [95.5, 40.55],
  沙河回族乡: [96.0, 40.5],
};
export const SEAT = '渊泉镇';

function shortName(name: string): string {
  return name.replace(/(居民委员会|居委会|村民委员会|村委会)$/, '').replace(/社区$/, '社区') || name;
}

export function readGazetteer(csvPath: string): { villages: Village[]; towns: TownPlace[] } {
  const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/).slice(1);
  const villages = lines.map((line): Village => {
    const [townCode, townName, code, name, kind] = line.split(',') as [string, string, string, string, string];
    return { code, name, shortName: shortName(name), kind: kind === 'community' ? 'community' : 'village', townCode, townName };
  });
  const towns = new Map<string, TownPlace>();
  for (const v of villages) {
    const center = TOWN_CENTRES[v.townName];
    if (!center) throw new Error(`no centre placed for town ${v.townName}`);
    towns.set(v.townCode, { code: v.townCode, name: v.townName, center, seat: v.townName === SEAT });
  }
  return { villages, towns: [...towns.values()].sort((a, b) => a.code.localeCompare(b.code)) };
}
