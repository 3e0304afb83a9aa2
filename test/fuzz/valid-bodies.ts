// One valid body for each write route we know, from the seeded store, for the fuzzer to mutate
// one thing at a time (so that it gets past the schema's first check and into the route's own
// rules). A route missing here (a new one) is still fuzzed with generated bodies.
import { randomUUID } from 'node:crypto';
import type { Snapshot } from '../../server/schema/index.ts';

export function validBodies(snapshot: Snapshot, now: number): Record<string, unknown> {
  const { collections } = snapshot;
  const unit = Object.values(collections.ambulances)[0];
  const grid = Object.keys(collections.gridStatus)[0];
  const point = Object.keys(collections.samplingPoints)[0];
  const seat: [number, number] = unit?.fix ? [unit.fix.lng, unit.fix.lat] : [95.78, 40.52];
  const call = { symptoms: true, history: { travel: false, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };
  return {
    'POST /api/auth/login': { username: 'nobody', password: 'wrong-password' },
    'POST /api/auth/logout': {},
    'PATCH /api/sampling-points/:id': { status: 'open', queue: 12, desks: 2, samplesToday: 300, stock: { swabs: 100, tubes: 50 } },
    'POST /api/sampling-points/:id/ops': { opId: randomUUID(), op: { kind: 'queue-add', delta: 3 } },
    'PATCH /api/hotels/:id': { people: 10, rooms: { total: 100, occupied: 20, cleaning: 5 }, staff: { doctors: 2, nurses: 4 } },
    'PATCH /api/hospitals/:id': { open: true, beds: { icu: { total: 10, occupied: 2 } }, maxCapacity: 100 },
    'PATCH /api/ambulances/:id/status': { status: 'offline' },
    'POST /api/ambulances/positions': { fixes: [{ id: unit?.id ?? 'NP01', lng: seat[0] + 0.0005, lat: seat[1], at: now, speed: 30, heading: 90 }] },
    'POST /api/ambulances/:id/position': { lng: seat[0], lat: seat[1], at: now, speed: 20, heading: 180 },
    'POST /api/dispatch/recommend': { call, pickup: { gridId: grid }, limit: 3 },
    'POST /api/transfers': { call, pickup: { location: seat }, address: '渊泉镇 1号', patient: '张三' },
    'POST /api/transfers/:id/steps': { to: 'cancelled', note: 'fuzz' },
    'POST /api/alerts/:id/ack': {},
    'POST /api/alerts/:id/resolve': { reason: '已处理' },
    'POST /api/reports': {},
    'POST /api/sample-batches': { source: '发热门诊', category: 'fever-emergency', samples: 20, collectedAt: now - 60_000 },
    'POST /api/sample-batches/:id/result': { resultedAt: now },
    'PUT /api/grids/:id/risk': { risk: 'controlled', neighbours: false },
    'POST /api/accounts': { username: `fuzz-${randomUUID().slice(0, 8)}`, role: 'field', password: 'fuzz-password-1', samplingPoints: point ? [point] : [] },
    'PATCH /api/accounts/:username': { role: 'field', samplingPoints: point ? [point] : [] },
    'POST /api/accounts/:username/password': { password: 'fuzz-password-2' },
    'POST /api/accounts/:username/revoke': {},
    'POST /api/testing-rounds': { towns: ['柳园镇'], deadlineDays: 5, name: '第9轮全员核酸检测' },
    'POST /api/testing-rounds/:id/end': {},
    'POST /api/round-grids/:id/ops': { opId: randomUUID(), op: { kind: 'add', count: 10 } },
    'POST /osmand': { location: { timestamp: new Date(now).toISOString(), coords: { latitude: seat[1], longitude: seat[0], speed: 5, heading: 90 } }, device_id: '013900000001' },
  };
}
