// A simulated day at the command center, on a real Redis with a fake clock, driven through
// the API the way its users drive it: each of the plans' thresholds is crossed in turn (a
// sampling point crowded, a hotel short of staff, the designated hospital at 50 %, a fever
// clinic's batch past 6 hours, a unit's fix gone stale, no negative-pressure unit free), and
// each raises its alert once; the commander acknowledges some; each resolves itself when
// its condition clears; the 17:00 report lists the day's alerts with what became of them.
import { describe, expect, it } from 'vitest';
import type { DailyReport } from '../../server/domain/daily-report.ts';
import type { Alert, Hospital } from '../../server/schema/index.ts';
import { alertIdOf } from '../../server/services/alerts.ts';
import { queueLevel } from '../../server/domain/queue-level.ts';
import { useServer } from '../helpers/use-server.ts';

const CHINA = 8 * 3_600_000;
/** Milliseconds at hh:mm China time on 2026-11-30. */
const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 30, hh, mm) - CHINA;

describe('a simulated day', () => {
  let now = at(8);
  const env = useServer({ redis: true, roles: ['commander', 'dispatcher'], clock: () => now });

  const call = async (role: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as { data: { id: string } };
  };
  const alert = async (key: string) => (await env.srv.store.get('alerts', alertIdOf(key))) as Alert | undefined;
  /** Units that stopped reporting; the others report at every tick. */
  const silenced = new Set<string>();
  let unitIds: string[] = [];
  const report = () =>
    call('dispatcher', 'POST', '/api/ambulances/positions', {
      fixes: unitIds.filter((id) => !silenced.has(id)).map((id, i) => ({ id, lng: 95.7 + i * 0.001, lat: 40.5, at: now, speed: 0, heading: 0 })),
    });
  /** The clock moves on, the units report, and the rules run, as the board does every ALERT_INTERVAL_SECONDS. */
  const tick = async (hh: number, mm = 0) => {
    now = at(hh, mm);
    await report();
    return env.srv.app.alerts.evaluate();
  };

  it('raises each threshold’s alert once, takes acknowledgements, resolves each when it clears, and reports the day', async () => {
    // Every unit reports at every tick, so only one that stops reporting goes stale.
    const units = Object.values((await env.srv.store.snapshot()).collections.ambulances);
    unitIds = units.map((u) => u.id);
    await tick(8);
    const { samplingPoints, hotels } = (await env.srv.store.snapshot()).collections;

    // 09:00 a sampling point fills up: 拥堵 at 50 minutes of wait.
    const point = Object.values(samplingPoints).find((p) => p.status === 'open' && p.desks > 0 && queueLevel(p) === 'smooth')!;
    const crowdedKey = `queue-crowded:${point.id}`;
    expect(await alert(crowdedKey)).toBeUndefined();
    await call('commander', 'PATCH', `/api/sampling-points/${point.id}`, { queue: Math.ceil((point.desks * point.deskThroughput * 50) / 60) });
    expect((await tick(9)).raised).toContain(alertIdOf(crowdedKey));
    expect(await alert(crowdedKey)).toMatchObject({ status: 'open', severity: 'warning', raisedAt: at(9) });
    await call('commander', 'POST', `/api/alerts/${alertIdOf(crowdedKey)}/ack`);
    expect((await tick(9, 30)).raised).not.toContain(alertIdOf(crowdedKey)); // not again while open

    // 10:00 a hotel takes in people beyond its staff: 1 doctor and 1 nurse per 20.
    const hotel = Object.values(hotels).find((h) => h.people + 40 <= h.rooms.total && h.staff.doctors * 20 >= h.people + 1)!;
    const staffKey = `staffing-shortfall:${hotel.id}`;
    expect(await alert(staffKey)).toBeUndefined();
    await call('commander', 'PATCH', `/api/hotels/${hotel.id}`, { people: hotel.staff.doctors * 20 + 1 });
    expect((await tick(10)).raised).toContain(alertIdOf(staffKey));

    // 11:00 the designated hospital reaches 50 % of its capacity: the escalation, critical.
    const designated = (await env.srv.store.get('hospitals', 'HOSP-DESIGNATED')) as Hospital;
    const half = Math.ceil(designated.maxCapacity / 2);
    const beds = (occupied: number) => ({ treatment: { total: designated.maxCapacity, occupied }, icu: { total: 0, occupied: 0 }, isolation: { total: 0, occupied: 0 } });
    await call('dispatcher', 'PATCH', '/api/hospitals/HOSP-DESIGNATED', { beds: beds(half - 1) });
    expect((await tick(11)).raised).not.toContain(alertIdOf('hospital-escalation:HOSP-DESIGNATED')); // one bed short
    await call('dispatcher', 'PATCH', '/api/hospitals/HOSP-DESIGNATED', { beds: beds(half) });
    expect((await tick(11, 5)).raised).toContain(alertIdOf('hospital-escalation:HOSP-DESIGNATED'));
    expect(await alert('hospital-escalation:HOSP-DESIGNATED')).toMatchObject({ severity: 'critical' });
    await call('commander', 'POST', `/api/alerts/${alertIdOf('hospital-escalation:HOSP-DESIGNATED')}/ack`);

    // 11:10 a fever clinic sends a batch: its results are due within 6 hours.
    now = at(11, 10);
    const batch = (await call('commander', 'POST', '/api/sample-batches', { source: '县医院发热门诊', category: 'fever-emergency', samples: 12, collectedAt: at(11, 10) })).data;
    const overdueKey = `turnaround-overdue:${batch.id}`;

    // 12:00 one unit stops reporting: at 12:02 its fix is exactly 120 s old, at 12:03 stale.
    const silent = units.find((u) => u.status !== 'offline' && u.kind === 'ordinary')!;
    await tick(12);
    silenced.add(silent.id);
    expect((await tick(12, 2)).raised).not.toContain(alertIdOf(`fix-stale:${silent.id}`));
    expect((await tick(12, 3)).raised).toEqual([alertIdOf(`fix-stale:${silent.id}`)]);

    // 13:00 every negative-pressure unit goes off duty: none free in the county.
    const np = units.filter((u) => u.kind === 'negative-pressure' && u.taskId === null);
    for (const u of np) await call('dispatcher', 'PATCH', `/api/ambulances/${u.id}/status`, { status: 'offline' });
    expect((await tick(13)).raised).toContain(alertIdOf('np-ambulance-shortage:county'));

    // 17:11 the batch has no result past its 6 hours.
    expect((await tick(17, 10)).raised).not.toContain(alertIdOf(overdueKey)); // exactly 6 h: not yet
    expect((await tick(17, 11)).raised).toContain(alertIdOf(overdueKey));
    expect(await alert(overdueKey)).toMatchObject({ severity: 'critical' });

    // The afternoon: each condition clears, and each alert resolves itself.
    now = at(17, 20);
    await call('commander', 'PATCH', `/api/sampling-points/${point.id}`, { queue: point.queue });
    await call('commander', 'PATCH', `/api/hotels/${hotel.id}`, { people: hotel.people });
    await call('dispatcher', 'PATCH', '/api/hospitals/HOSP-DESIGNATED', { beds: beds(10) });
    await call('commander', 'POST', `/api/sample-batches/${batch.id}/result`, { resultedAt: at(17, 20) });
    silenced.clear();
    await call('dispatcher', 'PATCH', `/api/ambulances/${np[0]!.id}/status`, { status: 'available' });
    const cleared = await tick(17, 20);
    const keys = [crowdedKey, staffKey, 'hospital-escalation:HOSP-DESIGNATED', overdueKey, `fix-stale:${silent.id}`, 'np-ambulance-shortage:county'];
    for (const key of keys) {
      expect(cleared.resolved, key).toContain(alertIdOf(key));
      expect(await alert(key), key).toMatchObject({ status: 'resolved', resolved: { by: 'auto', at: at(17, 20) } });
    }
    // The two the commander acknowledged still say who did, and when.
    expect(await alert(crowdedKey)).toMatchObject({ acknowledged: { by: 'commander', at: at(9) } });
    expect(await alert('hospital-escalation:HOSP-DESIGNATED')).toMatchObject({ acknowledged: { by: 'commander', at: at(11, 5) } });

    // The day's report (made here on demand at 17:30) lists every one of them.
    now = at(17, 30);
    const made = (await call('commander', 'POST', '/api/reports')).data as unknown as { date: string };
    const daily = (await call('commander', 'GET', `/api/reports/${made.date}/json`)).data as unknown as DailyReport;
    expect(daily.date).toBe('2026-11-30');
    const sheet = daily.sheets.find((s) => s.name === '告警')!;
    const listed = sheet.rows.map((r) => r.join(' '));
    for (const key of keys) {
      const a = (await alert(key))!;
      expect(
        listed.some((row) => row.includes(a.message.slice(0, 12))),
        key,
      ).toBe(true);
    }
  }, 60_000);
});
