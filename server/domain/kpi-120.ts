// The 120 centre's own key figures, from the transfer tasks' steps and the fleet: what the
// dispatch console, the wall and the daily report show, each with its definition and its
// target. Pure: tasks, fleet and a window in, figures out.
//
// Definitions (a task counts in the window when its call was received in it, createdAt):
// - 3 分钟出车率 (rolling within 3 min): of the tasks assigned a unit, the share whose unit
//   rolled (step to en-route) within 180 s of its last assignment. A task assigned less
//   than 180 s ago that has not rolled yet is still open and not counted. Target ≥ 95 %
//   (NHC 2020, for 2025).
// - 平均/90% 反应时间 (response time): call received (createdAt) to the first step on scene,
//   mean and 90th percentile (nearest rank), over the tasks that reached the scene; split
//   into same-area (the unit was in the pickup's town when assigned) and cross-area.
// - 接警至交接 (call to hand-over): call received to the step handed-over, mean and p90.
// - 洗消周转 (disinfection turnaround): the step to disinfecting to the step closed, mean
//   and p90, over the disinfections finished.
// - 负压车占比 (negative-pressure share of the fleet): negative-pressure units ÷ all units.
//   Target ≥ 40 %.
import type { Ambulance, LngLat, TransferStatus, TransferTask } from '../schema/index.ts';

export const ROLL_LIMIT_MS = 3 * 60_000;
export const KPI_TARGETS = { rolledWithin3Min: 0.95, negativePressureShare: 0.4 } as const;

export interface Durations {
  /** How many durations. */
  count: number;
  /** Mean, minutes (null when none). */
  meanMinutes: number | null;
  /** 90th percentile by nearest rank, minutes (null when none). */
  p90Minutes: number | null;
}

export interface Kpi120 {
  from: number;
  to: number;
  calls: number;
  rolling: { assigned: number; within3Min: number; share: number | null; target: number };
  response: Durations & { sameArea: Durations; crossArea: Durations; unknownArea: number };
  toHandover: Durations;
  disinfection: Durations;
  fleet: { total: number; negativePressure: number; share: number | null; target: number };
}

export interface KpiWindow {
  from: number;
  /** Exclusive. */
  to: number;
  now: number;
  /** The town a point lies in (the county's containment), null outside every grid. */
  townAt: (point: LngLat) => string | null;
}

/** Mean and nearest-rank p90 of durations in milliseconds, as minutes to one decimal. */
export function durations(ms: number[]): Durations {
  if (ms.length === 0) return { count: 0, meanMinutes: null, p90Minutes: null };
  const sorted = [...ms].sort((a, b) => a - b);
  const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  const minutes = (x: number) => Math.round(x / 6_000) / 10;
  return { count: sorted.length, meanMinutes: minutes(mean), p90Minutes: minutes(p90) };
}

const firstStep = (t: TransferTask, to: TransferStatus) => t.steps.find((s) => s.to === to);
const lastStep = (t: TransferTask, to: TransferStatus, before = Infinity) => t.steps.findLast((s) => s.to === to && s.at <= before);

export function kpi120(transfers: Iterable<TransferTask>, fleet: Iterable<Ambulance>, w: KpiWindow): Kpi120 {
  const tasks = [...transfers].filter((t) => t.createdAt >= w.from && t.createdAt < w.to);
  let assigned = 0;
  let within = 0;
  const response: number[] = [];
  const same: number[] = [];
  const cross: number[] = [];
  let unknownArea = 0;
  const handover: number[] = [];
  const disinfection: number[] = [];

  for (const t of tasks) {
    const rolled = firstStep(t, 'en-route');
    // The assignment the unit rolled on (a task reassigned before rolling counts from the last one).
    const assignment = lastStep(t, 'assigned', rolled?.at);
    if (assignment) {
      const inTime = rolled !== undefined && rolled.at - assignment.at <= ROLL_LIMIT_MS;
      const pending = rolled === undefined && w.now - assignment.at < ROLL_LIMIT_MS && t.status === 'assigned';
      if (!pending) {
        assigned++;
        if (inTime) within++;
      }
    }
    const onScene = firstStep(t, 'on-scene');
    if (onScene) {
      const d = onScene.at - t.createdAt;
      response.push(d);
      const unitTown = assignment?.fix ? w.townAt(assignment.fix) : null;
      if (unitTown === null || t.pickup.townName === null) unknownArea++;
      else (unitTown === t.pickup.townName ? same : cross).push(d);
    }
    const handedOver = firstStep(t, 'handed-over');
    if (handedOver) handover.push(handedOver.at - t.createdAt);
    const disinfecting = firstStep(t, 'disinfecting');
    const closed = disinfecting ? t.steps.find((s) => s.to === 'closed' && s.at >= disinfecting.at) : undefined;
    if (disinfecting && closed) disinfection.push(closed.at - disinfecting.at);
  }

  const units = [...fleet];
  const np = units.filter((a) => a.kind === 'negative-pressure').length;
  return {
    from: w.from,
    to: w.to,
    calls: tasks.length,
    rolling: { assigned, within3Min: within, share: assigned > 0 ? within / assigned : null, target: KPI_TARGETS.rolledWithin3Min },
    response: { ...durations(response), sameArea: durations(same), crossArea: durations(cross), unknownArea },
    toHandover: durations(handover),
    disinfection: durations(disinfection),
    fleet: { total: units.length, negativePressure: np, share: units.length > 0 ? np / units.length : null, target: KPI_TARGETS.negativePressureShare },
  };
}

const pctText = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const minText = (d: Durations) => (d.count === 0 ? '—' : `平均 ${d.meanMinutes} 分钟，P90 ${d.p90Minutes} 分钟（${d.count} 次）`);

/** The figures as rows of 指标, 数值, 目标, 定义: the daily report's sheet (Chinese, as the report is). */
export function kpiRows(k: Kpi120): [string, string, string, string][] {
  return [
    ['接警数', String(k.calls), '', '窗口内接到的转运呼叫（按接警时间）'],
    [
      '3分钟出车率',
      `${pctText(k.rolling.share)}（${k.rolling.within3Min}/${k.rolling.assigned}）`,
      `≥ ${pctText(k.rolling.target)}`,
      '派车后3分钟内出车（转为“出车”）的任务占已派车任务的比例；派车不足3分钟且未出车的不计',
    ],
    ['反应时间', minText(k.response), '', '接警至到达现场'],
    ['同区反应时间', minText(k.response.sameArea), '', '派车时车辆与接诊地在同一乡镇'],
    ['跨区反应时间', minText(k.response.crossArea), '', `派车时车辆在其他乡镇${k.response.unknownArea > 0 ? `；另有 ${k.response.unknownArea} 次派车时无定位，未分区` : ''}`],
    ['接警至交接', minText(k.toHandover), '', '接警至完成交接（已交接）'],
    ['洗消周转', minText(k.disinfection), '', '开始洗消至洗消完成（关闭任务）'],
    ['负压车占比', `${pctText(k.fleet.share)}（${k.fleet.negativePressure}/${k.fleet.total}）`, `≥ ${pctText(k.fleet.target)}`, '负压救护车占全部救护车的比例'],
  ];
}
