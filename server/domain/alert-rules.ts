// What needs acting on (DOMAIN.md's thresholds), from the live state: each rule says
// which conditions hold now, one candidate per subject, with the rule and figures
// that raised it. Pure; server/services/alerts.ts raises, keeps and resolves them.
import type { LiveCollections } from '../schema/index.ts';
import { isFixStale } from './fix-age.ts';
import { atThreshold, occupancy } from './hospital-tiers.ts';
import { DEFAULT_QUEUE_THRESHOLDS, estimatedWaitMinutes, queueLevel, type QueueThresholds } from './queue-level.ts';
import { alternativesFor } from './point-alternatives.ts';
import { requiredStaff, staffingShortfall } from './staffing.ts';
import { CATEGORY, TURNAROUND, turnaroundState } from './turnaround.ts';
import { roundAlerts } from './round-alerts.ts';
import type { AlertCandidate } from './alert-candidate.ts';

export type { AlertCandidate };

export interface AlertThresholds {
  escalation: number;
  fixStaleMs: number;
  /** A round's town is behind this far under its expected share (default 0.1). */
  roundBehindMargin?: number;
  /** When a sampling point counts as crowded (default: 25 / 50 minutes of wait). */
  queue?: QueueThresholds;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;


export function alertCandidates(c: LiveCollections, now: number, t: AlertThresholds): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const hospitals = Object.values(c.hospitals);
  const designated = hospitals.find((h) => h.role === 'designated');
  const reserve = hospitals.find((h) => h.role === 'reserve');
  if (designated && atThreshold(designated, t.escalation)) {
    out.push({
      key: `hospital-escalation:${designated.id}`,
      kind: 'hospital-escalation',
      severity: 'critical',
      message: `${designated.name}床位使用率${pct(occupancy(designated))}，已达${pct(t.escalation)}启用阈值：24小时内腾空后备定点医院，48小时内启用`,
      rule: `定点医院使用率 ≥ ${pct(t.escalation)} → 启用后备定点医院`,
      subject: { collection: 'hospitals', id: designated.id },
      figures: { occupancy: occupancy(designated), threshold: t.escalation },
    });
  }
  if (reserve && atThreshold(reserve, t.escalation) && reserve.open) {
    out.push({
      key: `hospital-escalation:${reserve.id}`,
      kind: 'hospital-escalation',
      severity: 'critical',
      message: `${reserve.name}床位使用率${pct(occupancy(reserve))}，已达${pct(t.escalation)}启用阈值：启用方舱医院`,
      rule: `后备定点医院使用率 ≥ ${pct(t.escalation)} → 启用方舱医院`,
      subject: { collection: 'hospitals', id: reserve.id },
      figures: { occupancy: occupancy(reserve), threshold: t.escalation },
    });
  }
  for (const h of Object.values(c.hotels)) {
    const short = staffingShortfall(h);
    if (short.doctors === 0 && short.nurses === 0) continue;
    const need = requiredStaff(h.people);
    out.push({
      key: `staffing-shortfall:${h.id}`,
      kind: 'staffing-shortfall',
      severity: 'warning',
      message: `${h.name}在住${h.people}人，需医生${need.doctors}、护士${need.nurses}，现有${h.staff.doctors}、${h.staff.nurses}`,
      rule: '每20名隔离人员配备1名医生、1名护士',
      subject: { collection: 'hotels', id: h.id },
      gridId: h.gridId,
      figures: { people: h.people, doctors: h.staff.doctors, nurses: h.staff.nurses, doctorsShort: short.doctors, nursesShort: short.nurses },
    });
  }
  const queue = t.queue ?? DEFAULT_QUEUE_THRESHOLDS;
  const points = Object.values(c.samplingPoints);
  for (const p of points) {
    if (queueLevel(p, queue) !== 'congested') continue;
    const wait = estimatedWaitMinutes(p);
    // Where to send people on: the nearest open points with short waits.
    const elsewhere = alternativesFor(p, points, { thresholds: queue, limit: 2 })
      .map((a) => `${a.name}（${(a.distanceM / 1000).toFixed(1)}公里）`)
      .join('、');
    out.push({
      key: `queue-crowded:${p.id}`,
      kind: 'queue-crowded',
      severity: 'warning',
      message: `${p.name}排队${p.queue}人，预计等待${Number.isFinite(wait) ? Math.round(wait) : '—'}分钟（拥堵）${elsewhere ? `，可引导至${elsewhere}` : ''}`,
      rule: `预计等待 ≥ ${queue.congestedMinutes}分钟${queue.congestedPeople === undefined ? '' : `或排队 ≥ ${queue.congestedPeople}人`}为拥堵`,
      subject: { collection: 'samplingPoints', id: p.id },
      gridId: p.gridId,
      figures: { queue: p.queue, waitMinutes: Number.isFinite(wait) ? Math.round(wait) : -1 },
    });
  }
  const units = Object.values(c.ambulances);
  for (const a of units) {
    if (a.status === 'offline' || !isFixStale(a.fix, now, t.fixStaleMs)) continue;
    out.push({
      key: `fix-stale:${a.id}`,
      kind: 'fix-stale',
      severity: 'info',
      message: `${a.callSign}定位超过${Math.round(t.fixStaleMs / 1000)}秒未更新`,
      rule: `定位超过${Math.round(t.fixStaleMs / 1000)}秒视为位置不明`,
      subject: { collection: 'ambulances', id: a.id },
      figures: { ageSeconds: a.fix ? Math.round((now - a.fix.at) / 1000) : -1 },
    });
  }
  for (const b of Object.values(c.sampleBatches)) {
    if (turnaroundState(b, now) !== 'overdue') continue;
    const limitHours = TURNAROUND[b.category].limitMs / 3_600_000;
    out.push({
      key: `turnaround-overdue:${b.id}`,
      kind: 'turnaround-overdue',
      severity: b.category === 'fever-emergency' ? 'critical' : 'warning',
      message: `${b.source}送检${b.samples}份（${CATEGORY[b.category]}）已${Math.floor((now - b.collectedAt) / 3_600_000)}小时未出结果，超过${limitHours}小时时限`,
      rule: `${CATEGORY[b.category]}样本${limitHours}小时内出结果`,
      subject: { collection: 'sampleBatches', id: b.id },
      gridId: b.gridId,
      figures: { samples: b.samples, ageMinutes: Math.round((now - b.collectedAt) / 60_000), limitHours },
    });
  }
  out.push(...roundAlerts(c, now, t.roundBehindMargin));
  const np = units.filter((a) => a.kind === 'negative-pressure');
  const npFree = np.filter((a) => a.status === 'available' && a.taskId === null).length;
  if (np.length > 0 && npFree < 1) {
    out.push({
      key: 'np-ambulance-shortage:county',
      kind: 'np-ambulance-shortage',
      severity: 'critical',
      message: `全县无可用负压救护车（共${np.length}辆）`,
      rule: '全县可用负压救护车少于1辆',
      subject: null,
      figures: { available: npFree, total: np.length },
    });
  }
  return out;
}
