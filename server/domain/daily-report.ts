// The daily report (日报) as data: the county's state at the moment it is made and what
// happened during the report's day (Asia/Shanghai by default), in sheets of rows that
// the XLSX and CSV writers render as they are. Pure: the same state and day give the
// same report. A day with no transfer, no one newly isolated and no alert raised is a
// zero report (零报告): filed all the same, saying so, with the standing figures.
// No personal data: patients' names stay out (the report goes up the reporting chain).
import type { QueueThresholds } from './queue-level.ts';
import { HOSPITAL_ROLE_ZH, TASK_STATUS_ZH, type Alert, type HospitalRole, type LiveCollections, type TransferTask } from '../schema/index.ts';
import { indicators, type CountyFacts } from './indicators.ts';
import { CATEGORY, dueAt, turnaroundState, type TurnaroundState } from './turnaround.ts';
import { roundReport } from './round-report.ts';
import { kpi120, kpiRows, type KpiWindow } from './kpi-120.ts';
import { countsOn } from './day-counters.ts';

export interface ReportSheet {
  /** Worksheet name (≤ 31 characters, Excel's limit). */
  name: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface DailyReport {
  /** The report's day, YYYY-MM-DD in `timeZone`. */
  date: string;
  timeZone: string;
  generatedAt: number;
  /** Made by hand before the scheduled time (预发), not the day's scheduled report. */
  onDemand: boolean;
  /** 零报告: nothing new to report on this day. */
  zero: boolean;
  title: string;
  sheets: ReportSheet[];
}

export interface ReportDay {
  date: string;
  timeZone: string;
  /** The day's first and last instant (ms), in that zone. */
  start: number;
  end: number;
}

const ALERT_KIND: Record<Alert['kind'], string> = {
  'hospital-escalation': '收治梯次启用',
  'staffing-shortfall': '隔离点医护不足',
  'queue-crowded': '采样点拥堵',
  'fix-stale': '车辆定位超时',
  'turnaround-overdue': '检测超时',
  'np-ambulance-shortage': '负压救护车不足',
  'round-behind': '全员核酸进度滞后',
  'round-overdue': '全员核酸超时未完成',
  'coverage-gap': '负压覆盖不足',
};
const SEVERITY: Record<Alert['severity'], string> = { info: '提示', warning: '警告', critical: '严重' };
const ALERT_STATUS: Record<Alert['status'], string> = { open: '未处理', acknowledged: '已确认', resolved: '已解除' };
const CREW: Record<TransferTask['crew'], string> = {
  'negative-pressure': '负压救护车专班',
  'ordinary-enhanced': '普通救护车（加强防护）',
  ordinary: '普通救护车',
};
const TIER: Record<'none' | 'reserve' | 'makeshift', string> = { none: '未达启用阈值', reserve: '启用后备定点医院', makeshift: '启用方舱医院' };

const parts = (ms: number, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
};

/** The day holding `ms` in `timeZone` (zones without a daylight-saving jump that day). */
export function reportDay(ms: number, timeZone: string): ReportDay {
  const p = parts(ms, timeZone);
  const start = ms - ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 - (ms % 1000);
  return { date: p.date, timeZone, start, end: start + 86_400_000 - 1 };
}

/** Minutes after local midnight, in `timeZone`. */
export function minutesOfDay(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  return p.hour * 60 + p.minute;
}

/** ISO 8601 to the second in `timeZone`, with its offset (2022-11-23T09:30:00+08:00). */
export function zonedIso(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  const [y, mo, d] = p.date.split('-').map(Number);
  const offset = Math.round((Date.UTC(y!, mo! - 1, d!, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
  const hh = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  return `${p.date}T${hh(p.hour)}:${hh(p.minute)}:${hh(p.second)}${sign}${hh(Math.floor(Math.abs(offset) / 60))}:${hh(Math.abs(offset) % 60)}`;
}

/** HH:MM (or YYYY-MM-DD HH:MM for another day) in the report's zone. */
function clock(ms: number, day: ReportDay): string {
  const p = parts(ms, day.timeZone);
  const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return p.date === day.date ? hm : `${p.date} ${hm}`;
}

/** Hospitals in the order of the escalation chain, fever clinics last. */
const TIER_ORDER: HospitalRole[] = ['designated', 'reserve', 'makeshift', 'fever-clinic'];

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const TURNAROUND_STATE: Record<TurnaroundState, string> = {
  waiting: '检测中',
  'due-soon': '临近时限',
  overdue: '已超时未出结果',
  'on-time': '按时出结果',
  late: '超时出结果',
};

export function buildDailyReport(
  c: LiveCollections,
  facts: CountyFacts,
  day: ReportDay,
  options: {
    generatedAt: number;
    onDemand: boolean;
    countyName: string;
    escalationThreshold: number;
    roundBehindMargin?: number;
    queue?: QueueThresholds;
    /** The town of a point, for the 120 figures' same-area and cross-area response (unknown without it). */
    townAt?: KpiWindow['townAt'];
  },
): DailyReport {
  const k = indicators(c, facts, options.generatedAt, options.escalationThreshold, options.queue);
  const inDay = (ms: number) => ms >= day.start && ms <= day.end;
  const transfers = Object.values(c.transfers)
    .filter((t) => inDay(t.createdAt))
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const alerts = Object.values(c.alerts)
    .filter((a) => inDay(a.raisedAt))
    .sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
  const hotels = Object.values(c.hotels).sort((a, b) => a.id.localeCompare(b.id));
  const batches = Object.values(c.sampleBatches)
    .filter((b) => inDay(b.collectedAt))
    .sort((a, b) => a.collectedAt - b.collectedAt || a.id.localeCompare(b.id));
  const batchState = (b: (typeof batches)[number]) => turnaroundState(b, options.generatedAt);
  const overdueBatches = Object.values(c.sampleBatches).filter((b) => batchState(b) === 'overdue').length;
  // The day's own counts: a hotel still on an earlier day counted nothing on this one.
  const checkIns = hotels.reduce((n, h) => n + countsOn(h, day.date).checkIns, 0);
  const checkOuts = hotels.reduce((n, h) => n + countsOn(h, day.date).checkOuts, 0);
  const zero = transfers.length === 0 && alerts.length === 0 && checkIns === 0;
  const round = roundReport(c, options.generatedAt, options.roundBehindMargin);
  const hospitalName = (id: string | null) => (id ? (c.hospitals[id]?.name ?? id) : '');
  const roleName = (r: HospitalRole) => HOSPITAL_ROLE_ZH[r];

  const summary: ReportSheet = {
    name: '汇总',
    columns: ['项目', '数值', '说明'],
    rows: [
      ['报告日期', day.date, zero ? '零报告：本日无新增转运、新增隔离和告警' : '日报'],
      ['生成时间', clock(options.generatedAt, day), options.onDemand ? '按需生成（非17:00定时报告）' : '定时生成'],
      ['开放采样点', k.sampling.openPoints, `共 ${k.sampling.totalPoints} 个`],
      ['今日采样人数', k.sampling.samplesToday, ''],
      ...(round ? [round.summary] : []),
      [
        '今日送检批次',
        batches.length,
        `已出结果 ${batches.filter((b) => b.resultedAt !== null).length}，超时出结果 ${batches.filter((b) => batchState(b) === 'late').length}；当前超时未出结果 ${overdueBatches} 批`,
      ],
      ['当前排队人数', k.sampling.queuing, `拥堵点位 ${k.sampling.crowdedPoints} 个`],
      ['集中隔离在住人数', k.isolation.people, `今日入住 ${checkIns} 人，解除 ${checkOuts} 人`],
      ['隔离房间', `${k.isolation.roomsOccupied}/${k.isolation.roomsTotal}`, `空余 ${k.isolation.roomsFree} 间，清洁中 ${k.isolation.roomsCleaning} 间`],
      ['隔离点医护', `医生 ${k.isolation.doctors}，护士 ${k.isolation.nurses}`, `按每20人1医1护需医生 ${k.isolation.requiredDoctors}、护士 ${k.isolation.requiredNurses}`],
      ['收治梯次', TIER[k.hospitals.escalation], `启用阈值 ${pct(k.hospitals.threshold)}`],
      ['今日转运任务', transfers.length, `负压专班 ${transfers.filter((t) => t.crew === 'negative-pressure').length}，跨区 ${transfers.filter((t) => t.crossDistrict).length}`],
      ['今日告警', alerts.length, `严重 ${alerts.filter((a) => a.severity === 'critical').length}，未解除 ${alerts.filter((a) => a.status !== 'resolved').length}`],
      ['负压救护车可用', `${k.ambulances.negativePressureAvailable}/${k.ambulances.negativePressureTotal}`, ''],
    ],
  };
  const sampling: ReportSheet = {
    name: '核酸采样',
    columns: ['乡镇', '今日采样人数', '常住人口', '采样覆盖率'],
    rows: k.sampling.byTown.map((t) => [t.town, t.samplesToday, t.population, pct(t.share)]),
  };
  const turnaround: ReportSheet = {
    name: '检测时效',
    columns: ['送检单位', '样本类别', '份数', '采集时间', '时限', '出结果时间', '状态'],
    rows: batches.map((b) => [
      b.source,
      CATEGORY[b.category],
      b.samples,
      clock(b.collectedAt, day),
      clock(dueAt(b), day),
      b.resultedAt === null ? '' : clock(b.resultedAt, day),
      TURNAROUND_STATE[batchState(b)],
    ]),
  };
  const isolation: ReportSheet = {
    name: '集中隔离',
    columns: ['隔离点', '房间总数', '在住房间', '清洁中', '空余房间', '在住人数', '今日入住', '今日解除', '医生', '护士', '医生缺口', '护士缺口'],
    rows: hotels.map((h) => {
      const short = k.isolation.shortHotels.find((s) => s.id === h.id);
      return [
        h.name,
        h.rooms.total,
        h.rooms.occupied,
        h.rooms.cleaning,
        Math.max(0, h.rooms.total - h.rooms.occupied - h.rooms.cleaning),
        h.people,
        countsOn(h, day.date).checkIns,
        countsOn(h, day.date).checkOuts,
        h.staff.doctors,
        h.staff.nurses,
        short?.doctors ?? 0,
        short?.nurses ?? 0,
      ];
    }),
  };
  const hospitals: ReportSheet = {
    name: '定点收治',
    columns: ['医院', '类别', '是否启用', '普通床位 占用/总数', 'ICU 占用/总数', '负压隔离床 占用/总数', '最大收治量', '占用率', '达到启用阈值'],
    rows: Object.values(c.hospitals)
      .sort((a, b) => TIER_ORDER.indexOf(a.role) - TIER_ORDER.indexOf(b.role) || a.id.localeCompare(b.id))
      .map((h) => {
        const tier = k.hospitals.tiers.find((t) => t.id === h.id);
        return [
          h.name,
          roleName(h.role),
          h.open ? '是' : '否',
          `${h.beds.treatment.occupied}/${h.beds.treatment.total}`,
          `${h.beds.icu.occupied}/${h.beds.icu.total}`,
          `${h.beds.isolation.occupied}/${h.beds.isolation.total}`,
          h.maxCapacity,
          tier ? pct(tier.occupancy) : '',
          tier?.atThreshold ? '是' : '否',
        ];
      }),
  };
  const transferSheet: ReportSheet = {
    name: '转运任务',
    columns: ['任务编号', '创建时间', '派车规则', '车组', '高风险', '接诊乡镇', '送往医院', '跨区', '状态'],
    rows: transfers.map((t) => [
      t.id,
      clock(t.createdAt, day),
      t.rule === null ? '常规' : `规则${t.rule}`,
      CREW[t.crew],
      t.highRisk ? '是' : '否',
      t.pickup.townName ?? '',
      hospitalName(t.destinationId),
      t.crossDistrict ? '是' : '否',
      TASK_STATUS_ZH[t.status],
    ]),
  };
  const alertSheet: ReportSheet = {
    name: '告警',
    columns: ['发生时间', '类别', '级别', '内容', '状态', '确认人', '确认时间', '解除', '解除原因'],
    rows: alerts.map((a) => [
      clock(a.raisedAt, day),
      ALERT_KIND[a.kind],
      SEVERITY[a.severity],
      a.message,
      ALERT_STATUS[a.status],
      a.acknowledged?.by ?? '',
      a.acknowledged ? clock(a.acknowledged.at, day) : '',
      a.resolved ? `${a.resolved.by === 'auto' ? '自动' : a.resolved.by} ${clock(a.resolved.at, day)}` : '',
      a.resolved?.reason ?? '',
    ]),
  };
  const kpis = kpi120(Object.values(c.transfers), Object.values(c.ambulances), {
    from: day.start,
    to: day.end + 1,
    now: options.generatedAt,
    townAt: options.townAt ?? (() => null),
  });
  const kpiSheet: ReportSheet = { name: '120指标', columns: ['指标', '数值', '目标', '定义'], rows: kpiRows(kpis) };
  return {
    date: day.date,
    timeZone: day.timeZone,
    generatedAt: options.generatedAt,
    onDemand: options.onDemand,
    zero,
    title: `${options.countyName}疫情防控工作${zero ? '零报告' : '日报'}（${day.date}）`,
    sheets: [summary, sampling, ...(round ? [round.sheet] : []), turnaround, isolation, hospitals, transferSheet, kpiSheet, alertSheet],
  };
}
