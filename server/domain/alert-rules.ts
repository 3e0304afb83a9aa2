// What needs acting on (DOMAIN.md's thresholds), from the live state: each rule says
// which conditions hold now, one candidate per subject, with the rule and figures
// that raised it. Pure; server/services/alerts.ts raises, keeps and resolves them.
import type { LiveCollections } from '../schema/index.ts';
import { isFixStale } from './fix-age.ts';
import { atThreshold, occupancy } from './hospital-tiers.ts';
import { DEFAULT_QUEUE_THRESHOLDS, estimatedWaitMinutes, queueLevel, type QueueThresholds } from './queue-level.ts';
import { alternativesFor } from './point-alternatives.ts';
import { PEOPLE_PER_DOCTOR_AND_NURSE, requiredStaff, staffingShortfall } from './staffing.ts';
import { TURNAROUND, turnaroundState } from './turnaround.ts';
import { roundAlerts } from './round-alerts.ts';
import { worded, type AlertCandidate } from './alert-candidate.ts';

export type { AlertCandidate };

export interface AlertThresholds {
  escalation: number;
  fixStaleMs: number;
  /** A round's town is behind this far under its expected share (default 0.1). */
  roundBehindMargin?: number;
  /** When a sampling point counts as crowded (default: 25 / 50 minutes of wait). */
  queue?: QueueThresholds;
}

export function alertCandidates(c: LiveCollections, now: number, t: AlertThresholds): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const hospitals = Object.values(c.hospitals);
  const designated = hospitals.find((h) => h.role === 'designated');
  const reserve = hospitals.find((h) => h.role === 'reserve');
  if (designated && atThreshold(designated, t.escalation)) {
    out.push({
      key: `hospital-escalation:${designated.id}`,
      severity: 'critical',
      ...worded('hospital-escalation', { occupancy: occupancy(designated), threshold: t.escalation }, { name: designated.name, tier: 'designated' }),
      subject: { collection: 'hospitals', id: designated.id },
    });
  }
  if (reserve && atThreshold(reserve, t.escalation) && reserve.open) {
    out.push({
      key: `hospital-escalation:${reserve.id}`,
      severity: 'critical',
      ...worded('hospital-escalation', { occupancy: occupancy(reserve), threshold: t.escalation }, { name: reserve.name, tier: 'reserve' }),
      subject: { collection: 'hospitals', id: reserve.id },
    });
  }
  for (const h of Object.values(c.hotels)) {
    const short = staffingShortfall(h);
    if (short.doctors === 0 && short.nurses === 0) continue;
    const need = requiredStaff(h.people);
    out.push({
      key: `staffing-shortfall:${h.id}`,
      severity: 'warning',
      ...worded(
        'staffing-shortfall',
        {
          people: h.people,
          doctors: h.staff.doctors,
          nurses: h.staff.nurses,
          doctorsShort: short.doctors,
          nursesShort: short.nurses,
          needDoctors: need.doctors,
          needNurses: need.nurses,
          peoplePerStaff: PEOPLE_PER_DOCTOR_AND_NURSE,
        },
        { name: h.name },
      ),
      subject: { collection: 'hotels', id: h.id },
      gridId: h.gridId,
    });
  }
  const queue = t.queue ?? DEFAULT_QUEUE_THRESHOLDS;
  const points = Object.values(c.samplingPoints);
  for (const p of points) {
    if (queueLevel(p, queue) !== 'congested') continue;
    const wait = estimatedWaitMinutes(p);
    // Where to send people on: the nearest open points with short waits.
    const elsewhere = alternativesFor(p, points, { thresholds: queue, limit: 2 });
    const figures: Record<string, number> = { queue: p.queue, waitMinutes: Number.isFinite(wait) ? Math.round(wait) : -1, congestedMinutes: queue.congestedMinutes };
    if (queue.congestedPeople !== undefined) figures.congestedPeople = queue.congestedPeople;
    const terms: Record<string, string> = { name: p.name };
    elsewhere.forEach((a, i) => {
      terms[`alt${i + 1}`] = a.name;
      figures[`alt${i + 1}Km`] = a.distanceM / 1000;
    });
    out.push({
      key: `queue-crowded:${p.id}`,
      severity: 'warning',
      ...worded('queue-crowded', figures, terms),
      subject: { collection: 'samplingPoints', id: p.id },
      gridId: p.gridId,
    });
  }
  const units = Object.values(c.ambulances);
  for (const a of units) {
    if (a.status === 'offline' || !isFixStale(a.fix, now, t.fixStaleMs)) continue;
    out.push({
      key: `fix-stale:${a.id}`,
      severity: 'info',
      ...worded('fix-stale', { ageSeconds: a.fix ? Math.round((now - a.fix.at) / 1000) : -1, staleSeconds: Math.round(t.fixStaleMs / 1000) }, { callSign: a.callSign }),
      subject: { collection: 'ambulances', id: a.id },
    });
  }
  for (const b of Object.values(c.sampleBatches)) {
    if (turnaroundState(b, now) !== 'overdue') continue;
    const limitHours = TURNAROUND[b.category].limitMs / 3_600_000;
    out.push({
      key: `turnaround-overdue:${b.id}`,
      severity: b.category === 'fever-emergency' ? 'critical' : 'warning',
      ...worded(
        'turnaround-overdue',
        { samples: b.samples, ageMinutes: Math.round((now - b.collectedAt) / 60_000), ageHours: Math.floor((now - b.collectedAt) / 3_600_000), limitHours },
        { source: b.source, category: b.category },
      ),
      subject: { collection: 'sampleBatches', id: b.id },
      gridId: b.gridId,
    });
  }
  out.push(...roundAlerts(c, now, t.roundBehindMargin));
  const np = units.filter((a) => a.kind === 'negative-pressure');
  const npFree = np.filter((a) => a.status === 'available' && a.taskId === null).length;
  if (np.length > 0 && npFree < 1) {
    out.push({
      key: 'np-ambulance-shortage:county',
      severity: 'critical',
      ...worded('np-ambulance-shortage', { available: npFree, total: np.length }, {}),
      subject: null,
    });
  }
  return out;
}
