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
 * Approximate town centres, placed by hand (the CSV has no coordinates) from
 * the seat's published position and the distances and neighbours given in
 * public gazetteers. Off by kilometres, maybe more: plausible, not surveyed.
 */
export const TOWN_CENTRES: Record<string, [number, number]> = {
  渊泉镇: [95.782, 40.52], // the county seat
  柳园镇: [95.45, 41.1], // the railway town in the north
  三道沟镇: [96.85, 40.55], // the east end, across the river from Yumen
  南岔镇: [95.95, 40.4],
  锁阳城镇: [96.12, 40.27], // 38 km south-east of the seat
  瓜州镇: [95.68, 40.49], // just west of the seat
  西湖镇: [95.06, 40.55], // about 70 km west, on the lower Shule
  河东镇: [96.68, 40.52], // between 布隆吉乡 and 三道沟镇
  双塔镇: [96.3, 40.53], // by the Shuangta reservoir
  腰站子东乡族镇: [96.62, 40.41], // south of 河东镇
  布隆吉乡: [96.5, 40.45], // about 70 km east, on the south bank
  梁湖乡: [95.84, 40.46],
  广至藏族乡: [95.58, 40.32],
  七墩回族东乡族乡: [95.45, 40.57],
  沙河回族乡: [96.02, 40.5],
};
export const SEAT = '渊泉镇';

function shortName(name: string): string {
  // 东湖村委会 → 东湖村, 疏勒社区居委会 → 疏勒社区; names without a committee suffix stay as they are.
  return name.replace(/村(民)?委(员)?会$/, '村').replace(/(社区)?居(民)?委(员)?会$/, '社区');
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
