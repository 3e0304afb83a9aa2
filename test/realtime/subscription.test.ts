// Subscriptions: a screen names layers and an area, and gets only what concerns them,
// including a removal when something leaves its area; its seq still never has a hole.
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientView, subscriptionFilter } from '../../server/realtime/subscription.ts';
import { applyDelta, type Ambulance, type Delta, type Snapshot } from '../../server/schema/index.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';
import { login, sampleCounty, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

describe('subscription filter', () => {
  const towns: Record<string, string> = { G1: '柳园镇', G2: '渊泉镇' };
  const townOf = (g: string) => towns[g];

  it('filters by layer, town, grid list and bounding box', () => {
    const byTown = subscriptionFilter({ layers: ['samplingPoints'], area: { town: '柳园镇' } }, townOf);
    expect(byTown('samplingPoints', samplingPoint('a', { gridId: 'G1' }))).toBe(true);
    expect(byTown('samplingPoints', samplingPoint('b', { gridId: 'G2' }))).toBe(false);
    expect(byTown('ambulances', ambulance('x', 95, 40, { gridId: 'G1' }))).toBe(false); // not a chosen layer
    const byGrids = subscriptionFilter({ area: { grids: ['G2'] } }, townOf);
    expect(byGrids('gridStatus', { id: 'G2', risk: 'low', updatedAt: 0 })).toBe(true);
    expect(byGrids('gridStatus', { id: 'G1', risk: 'low', updatedAt: 0 })).toBe(false);
    const byBox = subscriptionFilter({ area: { bbox: [95, 40, 96, 41] } }, townOf);
    expect(byBox('ambulances', ambulance('in', 95.5, 40.5))).toBe(true);
    expect(byBox('ambulances', ambulance('out', 97, 40.5))).toBe(false);
    expect(byBox('ambulances', ambulance('nofix', 95.5, 40.5, { fix: null }))).toBe(false);
  });

  it('gives a town’s screens the alerts about somewhere in the town or about the town, and no county-wide ones', () => {
    const alert = (id: string, extra: object) =>
      ({ id, kind: 'queue-crowded', severity: 'warning', message: id, subject: null, status: 'open', raisedAt: 0, updatedAt: 0, ...extra }) as const;
    const tablet = subscriptionFilter({ layers: ['samplingPoints', 'alerts'], area: { town: '柳园镇' } }, townOf);
    expect(tablet('alerts', alert('point-here', { gridId: 'G1' }))).toBe(true);
    expect(tablet('alerts', alert('point-there', { gridId: 'G2' }))).toBe(false);
    expect(tablet('alerts', alert('round-behind-here', { town: '柳园镇' }))).toBe(true);
    expect(tablet('alerts', alert('round-behind-there', { town: '渊泉镇' }))).toBe(false);
    expect(tablet('alerts', alert('hospital-escalation', {}))).toBe(false);
    // A screen without an area gets them all.
    expect(subscriptionFilter({ layers: ['alerts'] }, townOf)('alerts', alert('hospital-escalation', {}))).toBe(true);
  });

  it('turns leaving the area into a removal, once', () => {
    const view = new ClientView(subscriptionFilter({ area: { town: '柳园镇' } }, townOf));
    const inside = ambulance('A', 95, 40, { gridId: 'G1' });
    const outside = ambulance('A', 95, 40, { gridId: 'G2' });
    expect(view.filter([{ op: 'upsert', collection: 'ambulances', entity: inside }])).toHaveLength(1);
    expect(view.filter([{ op: 'upsert', collection: 'ambulances', entity: outside }])).toEqual([{ op: 'remove', collection: 'ambulances', id: 'A' }]);
    expect(view.filter([{ op: 'upsert', collection: 'ambulances', entity: outside }])).toEqual([]);
  });
});

describe('subscribed screens over socket.io', () => {
  const env = useServer({ config: { liveFrameMs: 0, fieldFrameMs: 100 } });
  let server: TestServer;
  let liuyuanGrid: string;
  let seatGrid: string;
  beforeAll(async () => {
    server = env.srv;
    const county = await sampleCounty();
    liuyuanGrid = county.locator.locate(95.45, 41.1)!.id;
    seatGrid = county.locator.locate(95.782, 40.52)!.id;
  });

  async function connect(auth: Record<string, unknown>) {
    const client = connectLive(server.url, auth);
    const deltas: Delta[] = [];
    client.on('delta', (d) => deltas.push(d));
    const snapshot = await new Promise<Snapshot>((resolve, reject) => {
      client.once('snapshot', resolve);
      client.once('connect_error', reject);
    });
    return { client, deltas, snapshot };
  }

  it('a field tablet gets its town only, sees a unit arrive and leave, and never a hole in seq', async () => {
    const token = await login(server.url, 'field');
    const tablet = await connect({ token, subscribe: { layers: ['samplingPoints', 'ambulances'], area: { town: '柳园镇' } } });
    const county = await sampleCounty();
    const townOf = (g: string | null) => (g ? county.locator.byId(g)?.townName : undefined);
    const points = Object.values(tablet.snapshot.collections.samplingPoints);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => townOf(p.gridId) === '柳园镇')).toBe(true);
    expect(Object.keys(tablet.snapshot.collections.gridStatus)).toHaveLength(0);
    const full = await server.store.snapshot();
    expect(points.length).toBeLessThan(Object.keys(full.collections.samplingPoints).length);

    // Drive a seat ambulance to 柳园镇 and back, with seat-only traffic in between.
    const unit = Object.values(full.collections.ambulances).find((a) => townOf(a.gridId) === '渊泉镇')!;
    const dispatcher = await login(server.url, 'dispatcher');
    const move = async (lng: number, lat: number) => {
      const res = await fetch(`${server.url}/api/ambulances/${unit.id}/position`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dispatcher}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lng, lat, at: Date.now() }),
      });
      expect(res.status).toBe(200);
      return (await res.json()).data as Ambulance;
    };
    expect((await move(95.783, 40.521)).gridId).toBe(seatGrid); // stays out of the tablet's area
    expect((await move(95.45, 41.1)).gridId).toBe(liuyuanGrid);
    await move(95.451, 41.101);
    await move(95.783, 40.521);
    const finalSeq = await server.store.seq();
    await waitFor(() => tablet.deltas.at(-1)?.seq === finalSeq, `the tablet at seq ${finalSeq}`, 5000, 20);

    let next = tablet.snapshot.seq + 1;
    for (const d of tablet.deltas) {
      expect(d.from ?? d.seq).toBe(next);
      next = d.seq + 1;
    }
    expect(next).toBe(finalSeq + 1);
    const seen = tablet.deltas.flatMap((d) => d.changes).filter((c) => c.collection === 'ambulances');
    expect(seen.at(0)).toMatchObject({ op: 'upsert', entity: { id: unit.id, gridId: liuyuanGrid } });
    expect(seen.at(-1)).toEqual({ op: 'remove', collection: 'ambulances', id: unit.id });
    const state = structuredClone(tablet.snapshot.collections);
    for (const d of tablet.deltas) applyDelta(state, d);
    expect(state.ambulances[unit.id]).toBeUndefined();
    tablet.client.close();
  });

  it('screens of several kinds asking in one turn share one snapshot per view, each its own, then its changes', async () => {
    const tokens = { wall: await login(server.url, 'wall'), dispatcher: await login(server.url, 'dispatcher'), field: await login(server.url, 'field') };
    const sub = (town: string) => ({ layers: ['samplingPoints' as const, 'alerts' as const], area: { town } });
    const kinds = [
      ...Array.from({ length: 4 }, () => ({ kind: 'wall', auth: { token: tokens.wall } })),
      ...Array.from({ length: 4 }, () => ({ kind: 'dispatcher', auth: { token: tokens.dispatcher } })),
      ...Array.from({ length: 4 }, () => ({ kind: '柳园镇', auth: { token: tokens.field, subscribe: sub('柳园镇') } })),
      ...Array.from({ length: 4 }, () => ({ kind: '渊泉镇', auth: { token: tokens.field, subscribe: sub('渊泉镇') } })),
    ];
    const connected = await Promise.all(kinds.map(async ({ kind, auth }) => ({ kind, ...(await connect(auth)) })));
    // The store comes back after an outage: every screen asks again, in one turn.
    const before = { ...server.app.gateway.counts };
    const again = connected.map((s) => new Promise<Snapshot>((resolve) => s.client.once('snapshot', resolve)));
    await server.app.gateway.recover();
    const screens = await Promise.all(connected.map(async (s, i) => ({ ...s, snapshot: await again[i]! })));
    // Sixteen screens, four views: four payloads, each encoded once.
    expect(server.app.gateway.counts.snapshots - before.snapshots).toBe(16);
    expect(server.app.gateway.counts.snapshotPayloads - before.snapshotPayloads).toBe(4);
    const truth = await server.store.snapshot();
    const county = await sampleCounty();
    const townOf = (g: string | null) => (g ? county.locator.byId(g)?.townName : undefined);
    const crewed = Object.values(truth.collections.ambulances).filter((a) => a.crew.length > 0);
    expect(crewed.length).toBeGreaterThan(0);
    for (const { kind, snapshot } of screens) {
      expect(snapshot.reason).toBe('store-recovered');
      expect(snapshot.seq).toBe(truth.seq);
      const ambulances = Object.values(snapshot.collections.ambulances);
      if (kind === 'wall') {
        // Names blanked, nothing else left out.
        expect(ambulances).toHaveLength(Object.keys(truth.collections.ambulances).length);
        expect(ambulances.every((a) => a.crew.length === 0)).toBe(true);
      } else if (kind === 'dispatcher') {
        expect(snapshot.collections).toEqual(truth.collections);
      } else {
        const points = Object.values(snapshot.collections.samplingPoints);
        expect(points.length).toBeGreaterThan(0);
        expect(points.every((p) => townOf(p.gridId) === kind)).toBe(true);
        expect(ambulances).toHaveLength(0);
      }
    }
    // A queue in 柳园镇 changes: its tablets, the walls and the dispatchers get it; 渊泉镇's do not.
    const point = Object.values(truth.collections.samplingPoints).find((p) => townOf(p.gridId) === '柳园镇')!;
    await server.store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, queue: point.queue + 3 } }], Date.now());
    const seq = await server.store.seq();
    const got = (s: (typeof screens)[number]) => s.deltas.some((d) => d.seq === seq);
    await waitFor(() => screens.every((s) => s.kind === '渊泉镇' || got(s)), `every screen but 渊泉镇's with seq ${seq}`, 5000, 20);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of screens) {
      const state = structuredClone(s.snapshot.collections);
      for (const d of s.deltas) applyDelta(state, d);
      if (s.kind === '渊泉镇') expect(s.deltas).toEqual([]);
      else expect(state.samplingPoints[point.id]!.queue).toBe(point.queue + 3);
      s.client.close();
    }
  });

  it('refuses a malformed subscription with a message that says so', async () => {
    const token = await login(server.url, 'field');
    await expect(connect({ token, subscribe: { area: { town: '' } } })).rejects.toThrow(/bad subscription/);
    await expect(connect({ token, subscribe: { layers: ['nukes'] } })).rejects.toThrow(/bad subscription/);
  });
});
