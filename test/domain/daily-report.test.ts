// The daily report as data: the report's day in Asia/Shanghai to the millisecond, what
// counts as the day's transfers and alerts, the zero report, and no personal data.
import { describe, expect, it } from 'vitest';
import { buildDailyReport, minutesOfDay, reportDay, zonedIso } from '../../server/domain/daily-report.ts';
import { countyFacts } from '../../server/domain/indicators.ts';
import { emptyCollections, type Alert, type LiveCollections } from '../../server/schema/index.ts';
import { sampleCounty } from '../helpers/server.ts';
import { transfer } from '../helpers/fixtures.ts';

const TZ = 'Asia/Shanghai';
/** 2026-11-30 17:00 in Guazhou (UTC+8). */
const FIVE_PM = Date.UTC(2026, 10, 30, 9, 0, 0);
const MIDNIGHT = Date.UTC(2026, 10, 29, 16, 0, 0);

function alert(id: string, raisedAt: number, patch: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'queue-crowded',
    severity: 'warning',
    message: '某采样点排队200人',
    subject: null,
    status: 'open',
    raisedAt,
    updatedAt: raisedAt,
    ...patch,
  };
}

async function state(): Promise<{ c: LiveCollections; facts: ReturnType<typeof countyFacts> }> {
  const county = await sampleCounty();
  const c = emptyCollections();
  Object.assign(c.samplingPoints, Object.fromEntries(county.seed.samplingPoints.map((p) => [p.id, p])));
  Object.assign(c.hotels, Object.fromEntries(county.seed.hotels.map((h) => [h.id, { ...h, checkInsToday: 0, checkOutsToday: 0 }])));
  Object.assign(c.hospitals, Object.fromEntries(county.seed.hospitals.map((h) => [h.id, h])));
  return { c, facts: countyFacts(county.grids.features.map((f) => f.properties)) };
}
const options = { generatedAt: FIVE_PM, onDemand: false, countyName: '瓜州县', escalationThreshold: 0.5 };

describe('the report day', () => {
  it('is the calendar day in Asia/Shanghai, from local midnight to the last millisecond', () => {
    expect(reportDay(FIVE_PM, TZ)).toEqual({ date: '2026-11-30', timeZone: TZ, start: MIDNIGHT, end: MIDNIGHT + 86_400_000 - 1 });
    expect(reportDay(MIDNIGHT, TZ).date).toBe('2026-11-30');
    expect(reportDay(MIDNIGHT - 1, TZ).date).toBe('2026-11-29');
    expect(minutesOfDay(FIVE_PM, TZ)).toBe(17 * 60);
    expect(minutesOfDay(FIVE_PM - 60_000, TZ)).toBe(16 * 60 + 59);
  });
});

describe('the daily report', () => {
  it('counts the transfers and alerts of its day only, to the millisecond', async () => {
    const { c, facts } = await state();
    c.transfers.T1 = transfer('T1', MIDNIGHT - 1); // yesterday 23:59:59.999
    c.transfers.T2 = transfer('T2', MIDNIGHT); // today 00:00
    c.transfers.T3 = transfer('T3', FIVE_PM - 3_600_000, { crew: 'ordinary', rule: null, highRisk: false, crossDistrict: true });
    c.alerts.A1 = alert('A1', MIDNIGHT - 60_000);
    c.alerts.A2 = alert('A2', MIDNIGHT + 3_600_000, {
      severity: 'critical',
      status: 'resolved',
      acknowledged: { by: 'commander', at: MIDNIGHT + 3_660_000 },
      resolved: { by: 'auto', at: MIDNIGHT + 7_200_000, reason: '条件已解除' },
    });
    const batch = { samplingPointId: null, gridId: null, samples: 30, updatedAt: 0 };
    c.sampleBatches.B1 = { ...batch, id: 'B1', source: '县医院发热门诊', category: 'fever-emergency', collectedAt: MIDNIGHT + 3_600_000, resultedAt: MIDNIGHT + 8 * 3_600_000 };
    c.sampleBatches.B2 = { ...batch, id: 'B2', source: '渊泉镇便民采样点', category: 'voluntary', collectedAt: MIDNIGHT - 3_600_000, resultedAt: null };
    const report = buildDailyReport(c, facts, reportDay(FIVE_PM, TZ), options);
    expect(report.zero).toBe(false);
    // The day's batches (B2 was collected yesterday), with their limit and how they went.
    expect(report.sheets.find((s) => s.name === '检测时效')!.rows).toEqual([['县医院发热门诊', '发热门诊/急诊', 30, '01:00', '07:00', '08:00', '超时出结果']]);
    expect(report.title).toBe('瓜州县疫情防控工作日报（2026-11-30）');
    const sheet = (name: string) => report.sheets.find((s) => s.name === name)!;
    expect(sheet('转运任务').rows.map((r) => r[0])).toEqual(['T2', 'T3']);
    expect(sheet('转运任务').rows[0]!.slice(1, 5)).toEqual(['00:00', '规则1', '负压救护车专班', '是']);
    expect(sheet('转运任务').rows[1]![7]).toBe('是'); // cross-district
    expect(sheet('告警').rows).toEqual([['01:00', '采样点拥堵', '严重', '某采样点排队200人', '已解除', 'commander', '01:01', '自动 02:00', '条件已解除']]);
    const summary = Object.fromEntries(sheet('汇总').rows.map((r) => [r[0], r.slice(1)]));
    expect(summary['今日转运任务']).toEqual([2, '负压专班 1，跨区 1']);
    expect(summary['今日告警']).toEqual([1, '严重 1，未解除 0']);
    expect(summary['今日送检批次']).toEqual([1, '已出结果 1，超时出结果 1；当前超时未出结果 0 批']);
    expect(summary['报告日期']).toEqual(['2026-11-30', '日报']);
    // The patient's name and address never leave the board in a report.
    expect(JSON.stringify(report)).not.toMatch(/张三|某小区/);
  });

  it('is a zero report (零报告) on a day with no transfer, no check-in and no alert, with the standing figures', async () => {
    const { c, facts } = await state();
    c.transfers.T1 = transfer('T1', MIDNIGHT - 1);
    const report = buildDailyReport(c, facts, reportDay(FIVE_PM, TZ), options);
    expect(report.zero).toBe(true);
    expect(report.title).toBe('瓜州县疫情防控工作零报告（2026-11-30）');
    const summary = report.sheets[0]!;
    expect(summary.rows[0]).toEqual(['报告日期', '2026-11-30', '零报告：本日无新增转运、新增隔离和告警']);
    const people = summary.rows.find((r) => r[0] === '集中隔离在住人数')![1];
    expect(people).toBe(Object.values(c.hotels).reduce((n, h) => n + h.people, 0));
    expect(report.sheets.find((s) => s.name === '定点收治')!.rows.length).toBe(Object.keys(c.hospitals).length);
    // One check-in makes it a report with something in it.
    const first = Object.values(c.hotels)[0]!;
    c.hotels[first.id] = { ...first, checkInsToday: 1 };
    expect(buildDailyReport(c, facts, reportDay(FIVE_PM, TZ), options).zero).toBe(false);
  });

  it('adds the mass-testing round in progress to 核酸采样: a summary line and a sheet by town', async () => {
    const { c, facts } = await state();
    const names = (r: ReturnType<typeof buildDailyReport>) => r.sheets.map((s) => s.name);
    expect(names(buildDailyReport(c, facts, reportDay(FIVE_PM, TZ), options))).not.toContain('全员核酸');
    const startedAt = FIVE_PM - 2 * 86_400_000;
    c.testingRounds['TR-2'] = {
      id: 'TR-2',
      number: 2,
      name: '第2轮全员核酸检测',
      scope: 'towns',
      towns: ['渊泉镇'],
      gridIds: ['G1', 'G2'],
      population: 300,
      startedAt,
      deadlineDays: 5,
      startedBy: 'commander',
      status: 'active',
      endedAt: null,
      endedBy: null,
      updatedAt: startedAt,
    };
    for (const [gridId, population, sampled] of [
      ['G1', 100, 60],
      ['G2', 200, 40],
    ] as const) {
      c.roundGrids[`TR-2.${gridId}`] = { id: `TR-2.${gridId}`, roundId: 'TR-2', gridId, townName: '渊泉镇', population, sampled, updatedAt: FIVE_PM };
    }
    const report = buildDailyReport(c, facts, reportDay(FIVE_PM, TZ), options);
    expect(names(report).slice(0, 3)).toEqual(['汇总', '核酸采样', '全员核酸']);
    expect(report.sheets[0]!.rows.find((r) => r[0] === '全员核酸检测')).toEqual([
      '全员核酸检测',
      '第2轮全员核酸检测（第2轮）',
      '已采100人/应采300人（33.3%），按期应达40%，剩余3天；进度滞后乡镇0个',
    ]);
    expect(report.sheets[2]!.rows).toEqual([
      ['渊泉镇', 2, 0, 300, 100, '33.3%', '40%', '按期推进'],
      ['全县', 2, 0, 300, 100, '33.3%', '40%', '按期推进'],
    ]);
  });
});

describe('zonedIso', () => {
  it('writes a moment on the county’s clock with that zone’s offset (EDXL date-times, task ids)', () => {
    const at = Date.UTC(2022, 10, 23, 1, 30, 5, 250);
    expect(zonedIso(at, 'Asia/Shanghai')).toBe('2022-11-23T09:30:05+08:00');
    expect(zonedIso(at, 'Asia/Kolkata')).toBe('2022-11-23T07:00:05+05:30');
    expect(zonedIso(at, 'America/New_York')).toBe('2022-11-22T20:30:05-05:00');
    expect(minutesOfDay(at, 'Asia/Shanghai')).toBe(9 * 60 + 30);
  });
});
