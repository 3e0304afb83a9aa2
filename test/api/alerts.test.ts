// Alerts over a simulated stretch of the day on a real Redis with a fake clock: each
// threshold raises its alert once, people acknowledge and resolve it, the board resolves
// it when the condition clears; two server processes evaluating at once raise nothing twice.
import { describe, expect, it } from 'vitest';
import type { Alert, Hospital } from '../../server/schema/index.ts';
import { Alerts, alertIdOf } from '../../server/services/alerts.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

describe('alerts', () => {
  let now = Date.UTC(2026, 10, 23, 2, 0, 0);
  const env = useServer({ redis: true, clock: () => now });

  const alerts = async () => Object.values((await env.srv.store.snapshot()).collections.alerts) as Alert[];
  const post = async (role: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await login(env.srv.url, role)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as { data: Alert } };
  };

  it('raises one alert per condition, and no second while it is open', async () => {
    const first = await env.srv.app.alerts.evaluate();
    const hotelsShort = (await alerts()).filter((a) => a.kind === 'staffing-shortfall');
    expect(hotelsShort.length).toBeGreaterThan(0); // the sample has hotels short of staff
    expect(hotelsShort[0]!.message).toMatch(/需医生\d+、护士\d+/);
    expect(first.raised.length).toBe((await alerts()).length);
    expect((await env.srv.app.alerts.evaluate()).raised).toEqual([]);
  });

  it('escalates the hospital at its threshold, is acknowledged, and resolves itself when it clears', async () => {
    const designated = (await env.srv.store.get('hospitals', 'HOSP-DESIGNATED')) as Hospital;
    const at = (occupied: number): Hospital => ({
      ...designated,
      beds: { treatment: { total: designated.maxCapacity, occupied }, icu: { total: 0, occupied: 0 }, isolation: { total: 0, occupied: 0 } },
    });
    const id = alertIdOf('hospital-escalation:HOSP-DESIGNATED');
    await env.srv.store.apply([{ op: 'upsert', collection: 'hospitals', entity: at(Math.ceil(designated.maxCapacity / 2) - 1) }], now);
    await env.srv.app.alerts.evaluate();
    expect(await env.srv.store.get('alerts', id)).toBeUndefined(); // just below 50 %

    now += 60_000;
    await env.srv.store.apply([{ op: 'upsert', collection: 'hospitals', entity: at(Math.ceil(designated.maxCapacity / 2)) }], now);
    expect((await env.srv.app.alerts.evaluate()).raised).toEqual([id]);
    const raised = (await env.srv.store.get('alerts', id))!;
    expect(raised).toMatchObject({ kind: 'hospital-escalation', severity: 'critical', status: 'open', raisedAt: now });
    expect(raised.message).toMatch(/24小时内腾空后备定点医院，48小时内启用/);

    expect((await post('dispatcher', `/api/alerts/${id}/ack`)).status).toBe(403);
    const ack = await post('commander', `/api/alerts/${id}/ack`);
    expect(ack.body.data).toMatchObject({ status: 'acknowledged', acknowledged: { by: 'commander', at: now } });
    expect((await post('commander', `/api/alerts/${id}/ack`)).status).toBe(409);

    now += 60_000;
    await env.srv.store.apply([{ op: 'upsert', collection: 'hospitals', entity: at(10) }], now);
    expect((await env.srv.app.alerts.evaluate()).resolved).toContain(id);
    expect(await env.srv.store.get('alerts', id)).toMatchObject({ status: 'resolved', resolved: { by: 'auto', at: now } });
  });

  it('keeps a hand-resolved alert resolved while its condition holds, and raises it again after it clears and returns', async () => {
    const np = Object.values((await env.srv.store.snapshot()).collections.ambulances).filter((a) => a.kind === 'negative-pressure');
    const id = alertIdOf('np-ambulance-shortage:county');
    const setNp = (status: 'available' | 'disinfecting') =>
      env.srv.store.apply(
        np.map((a) => ({ op: 'upsert' as const, collection: 'ambulances' as const, entity: { ...a, status } })),
        now,
      );
    await setNp('disinfecting');
    await env.srv.app.alerts.evaluate();
    expect((await env.srv.store.get('alerts', id))?.status).toBe('open');
    expect((await post('commander', `/api/alerts/${id}/resolve`, { reason: '已协调邻县负压车支援' })).body.data.resolved).toMatchObject({
      by: 'commander',
      reason: '已协调邻县负压车支援',
    });
    now += 10_000;
    await env.srv.app.alerts.evaluate();
    expect((await env.srv.store.get('alerts', id))?.status).toBe('resolved'); // not raised again meanwhile
    await setNp('available');
    await env.srv.app.alerts.evaluate();
    await setNp('disinfecting');
    now += 10_000;
    expect((await env.srv.app.alerts.evaluate()).raised).toEqual([id]);
    await setNp('available');
  });

  it('raises nothing twice when two processes evaluate at once', async () => {
    const hotel = Object.values((await env.srv.store.snapshot()).collections.hotels)[0]!;
    await env.srv.store.apply(
      [
        {
          op: 'upsert',
          collection: 'hotels',
          entity: { ...hotel, people: 200, rooms: { ...hotel.rooms, occupied: Math.min(hotel.rooms.total, 200) }, staff: { doctors: 0, nurses: 0 } },
        },
      ],
      now,
    );
    const other = new Alerts(env.srv.store, () => now, { escalation: 0.5, fixStaleMs: 3_600_000 });
    const id = alertIdOf(`staffing-shortfall:${hotel.id}`);
    await env.srv.store.apply([{ op: 'remove', collection: 'alerts', id }], now);
    const [a, b] = await Promise.all([env.srv.app.alerts.evaluate(), other.evaluate()]);
    expect([...a.raised, ...b.raised].filter((x) => x === id)).toHaveLength(1);
  });
});
