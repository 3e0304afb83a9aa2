// The sample county's past: a freshly started demo has no history, so the simulator
// writes 12 simulated hours of key figures behind the present (every 5 minutes),
// shaped like a sampling day (queues at the morning and afternoon peaks, none at night)
// and ending at the present state. Each point says `simulated: true`; nothing else in
// the board writes one.
import type { HistoryPoint } from '../schema/index.ts';
import { mulberry32 } from './random.ts';
import { minutesOfDay } from '../domain/daily-report.ts';

/** Relative sampling demand by minute of the county's day: peaks at 10:00 and 16:00. */
function demand(minute: number): number {
  const hour = minute / 60;
  if (hour < 7 || hour >= 22) return 0.05;
  const peak = (h: number, width: number) => Math.exp(-(((hour - h) / width) ** 2));
  return 0.25 + 0.9 * peak(10, 1.6) + 0.7 * peak(16, 1.8);
}

export function simulatedPast(now: HistoryPoint, timeZone = 'Asia/Shanghai', hours = 12, stepMs = 5 * 60_000, seed = 7): HistoryPoint[] {
  const random = mulberry32(seed);
  const nowDemand = Math.max(0.05, demand(minutesOfDay(now.at, timeZone)));
  const points: HistoryPoint[] = [];
  for (let t = now.at - hours * 3_600_000; t < now.at; t += stepMs) {
    const ago = (now.at - t) / (hours * 3_600_000); // 1 → 0
    // Relative to now, kept within a plausible band so the past meets the present.
    const shape = Math.min(1.8, Math.max(0.1, demand(minutesOfDay(t, timeZone)) / nowDemand));
    const jitter = () => 0.92 + 0.16 * random();
    const drift = (value: number, range: number) => value * (1 - range * ago) * (0.985 + 0.03 * random());
    points.push({
      at: t,
      queuing: Math.round(now.queuing * shape * jitter()),
      openPoints: Math.round(now.openPoints * Math.min(1, 0.2 + shape)),
      crowdedPoints: Math.round(now.crowdedPoints * shape * jitter()),
      samplesToday: Math.round(now.samplesToday * (1 - ago)),
      isolationPeople: Math.round(drift(now.isolationPeople, 0.15)),
      roomsOccupied: Math.round(drift(now.roomsOccupied, 0.15)),
      roomsTotal: now.roomsTotal,
      designatedOccupancy: drift(now.designatedOccupancy, 0.25),
      reserveOccupancy: drift(now.reserveOccupancy, 0.25),
      ambulancesAvailable: Math.max(0, Math.round(now.ambulancesAvailable * jitter())),
      simulated: true,
    });
  }
  return points;
}
