// What the generator knows of 瓜州县 (620922) beyond its public sources: town centres
// placed by hand, its trunk roads, and the names of its hotels, hospitals and stations.
// Every other county gets these derived from its data (plan.ts); this one keeps its own,
// so the committed sample stays as it was.
import type { CountyPlan } from './plan-types.ts';

/**
 * Approximate town centres, placed by hand (the CSV has no coordinates) from
 * the seat's published position and the distances and neighbours given in
 * public gazetteers. Off by kilometres, maybe more: plausible, not surveyed.
 */
const TOWN_CENTRES: Record<string, [number, number]> = {
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

export const GUAZHOU: Omit<CountyPlan, 'code' | 'name'> = {
  short: '瓜州',
  latitude: 40.5,
  population: 120_000,
  gridCount: 689,
  sparseGrids: 260, // the desert and gobi: few people, large areas
  seat: '渊泉镇',
  secondTown: '柳园镇',
  townCentres: TOWN_CENTRES,
  villages: { ringM: 3000, spreadM: 5000, squeeze: 0.6, spacingM: 2200 },
  trunks: [
    ['R-G30', 'G30连霍高速', 'expressway', ['渊泉镇', '沙河回族乡', '双塔镇', '河东镇', '三道沟镇'], 2000],
    ['R-G312', 'G312国道', 'national', ['渊泉镇', '柳园镇'], 2500],
    ['R-GUADUN', '瓜敦公路', 'provincial', ['渊泉镇', '七墩回族东乡族乡', '西湖镇'], 2000],
  ],
  sites: {
    seat: '渊泉镇',
    callSign: '瓜州',
    hotels: [
      ['渊泉镇', '瓜州宾馆'],
      ['渊泉镇', '锁阳大酒店'],
      ['渊泉镇', '阳关商务宾馆'],
      ['渊泉镇', '丝路驿站酒店'],
      ['柳园镇', '柳园铁路宾馆'],
      ['河东镇', '河东宾馆'],
      ['锁阳城镇', '锁阳城宾馆'],
      ['西湖镇', '西湖农家宾馆'],
    ],
    hospitals: [
      ['HOSP-DESIGNATED', '瓜州县人民医院', 'designated', '渊泉镇', true, 60, 8, 30, 0.25],
      ['HOSP-RESERVE', '瓜州县中医医院', 'reserve', '渊泉镇', true, 40, 4, 12, 0.05],
      ['HOSP-MAKESHIFT', '瓜州县方舱医院', 'makeshift', '渊泉镇', false, 300, 0, 0, 0],
      ['FC-LIUYUAN', '柳园镇中心卫生院发热门诊', 'fever-clinic', '柳园镇', true, 6, 0, 3, 0.2],
      ['FC-SUOYANG', '锁阳城镇卫生院发热门诊', 'fever-clinic', '锁阳城镇', true, 4, 0, 2, 0.25],
      ['FC-XIHU', '西湖镇卫生院发热门诊', 'fever-clinic', '西湖镇', true, 4, 0, 2, 0],
      ['FC-SANDAOGOU', '三道沟镇中心卫生院发热门诊', 'fever-clinic', '三道沟镇', true, 4, 0, 2, 0.25],
    ],
    stations: [
      ['瓜州县人民医院', 0],
      ['瓜州县中医医院', 1],
      ['瓜州县120急救站', '渊泉镇'],
      ['柳园镇中心卫生院', 3],
      ['锁阳城镇卫生院', 4],
      ['西湖镇卫生院', 5],
      ['三道沟镇中心卫生院', 6],
      ['双塔镇卫生院', '双塔镇'],
    ],
    decontamination: [
      ['DECON-SEAT', '瓜州县洗消站（县城）', '渊泉镇', 2500],
      ['DECON-LIUYUAN', '柳园镇洗消点', '柳园镇', 800],
    ],
  },
  terminalPrefix: 'GZ',
};
