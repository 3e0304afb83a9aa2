// The wall and the field tablets get no personal data on any path: the REST snapshot, the
// live snapshot, live frames (changes and moves), a replay after a resume, the snapshot and
// frames after `subscribe`, /api/grids; and the exports carry none either. Known markers (a
// patient's name, an address, a step's note, an alert's resolve reason, usernames, crews'
// and staff names, the pickup's exact coordinates) are written to the store and searched
// for in everything each screen receives. A dispatcher's screen carries them. Real Redis,
// a listening server, real socket.io clients.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Change, Snapshot, TestingRound } from '../../server/schema/index.ts';
import { transfer } from '../helpers/fixtures.ts';
import type { TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';

const M = {
  patient: '患者标记甲',
  address: '地址标记乙',
  note: '备注标记丙',
  reason: '理由标记丁',
  crew: '乘员标记戊',
  staff: '人员标记己',
  user: 'user-marker-x',
  ackUser: 'ack-marker-y',
};
const DOOR: [number, number] = [95.7812345, 40.5212345];
const FORBIDDEN = [...Object.values(M), String(DOOR[0]), String(DOOR[1])];

const env = useServer({ redis: true, roles: ['wall', 'field', 'dispatcher', 'commander'] });
const tokens = env.tokens as Record<'wall' | 'field' | 'dispatcher' | 'commander', string>;
let srv: TestServer;
let town = '';
let gridId = '';
let unitId = '';

beforeAll(async () => {
  srv = env.srv;
  town = srv.app.county.towns.find((t) => t.seat)!.name;
  gridId = srv.app.gridLayers.current.props.find((p) => p.townName === town)!.id;
  const snapshot = await srv.store.snapshot();
  unitId = Object.values(snapshot.collections.ambulances).find((a) => a.fix)!.id;
});

/** A task, an alert, a round and a vehicle's crew carrying every marker, under ids tagged `tag`; then the vehicle moves. */
async function writeMarkers(tag: string): Promise<void> {
  const now = Date.now();
  const unit = (await srv.store.snapshot()).collections.ambulances[unitId]!;
  const alert: Alert = {
    id: `AL-${tag}`,
    kind: 'queue-crowded',
    severity: 'warning',
    message: '排队拥堵',
    subject: null,
    gridId,
    town,
    status: 'resolved',
    raisedAt: now,
    updatedAt: now,
    acknowledged: { by: M.ackUser, at: now },
    resolved: { by: M.user, at: now, reason: M.reason },
  };
  const round: TestingRound = {
    id: `R-${tag}`,
    number: 90,
    name: '标记轮',
    scope: 'towns',
    towns: [town],
    gridIds: [gridId],
    population: 10,
    startedAt: now,
    deadlineDays: 5,
    startedBy: M.user,
    status: 'ended',
    endedAt: now,
    endedBy: M.ackUser,
    updatedAt: now,
  };
  const changes: Change[] = [
    {
      op: 'upsert',
      collection: 'transfers',
      entity: transfer(`T-${tag}`, now, {
        status: 'on-scene',
        patient: M.patient,
        pickup: { location: DOOR, gridId, townName: town, address: M.address },
        handover: { sendingSide: M.staff, crew: [M.crew], receivingHospitalId: 'HOSP-DESIGNATED', receivedBy: M.staff },
        steps: [{ from: 'en-route', to: 'on-scene', at: now, by: M.user, fix: DOOR, note: M.note }],
        createdBy: M.user,
      }),
    },
    { op: 'upsert', collection: 'alerts', entity: alert },
    { op: 'upsert', collection: 'testingRounds', entity: round },
    { op: 'upsert', collection: 'ambulances', entity: { ...unit, crew: [M.crew, M.staff], gridId, updatedAt: now } },
  ];
  await srv.store.apply(changes, now);
  // Movement only: a frame's `moves`.
  const fix = { ...unit.fix!, lng: unit.fix!.lng + 0.001, at: now + 1 };
  await srv.store.apply([{ op: 'upsert', collection: 'ambulances', entity: { ...unit, crew: [M.crew, M.staff], gridId, fix, updatedAt: now + 1 } }], now + 1);
}

interface Screen {
  socket: LiveSocket;
  /** Every payload received, as JSON. */
  seen: string[];
  snapshots: Snapshot[];
  text: () => string;
}

function screen(token: string, auth: Record<string, unknown> = {}): Screen {
  const socket = connectLive(srv.url, { token, ...auth });
  const seen: string[] = [];
  const snapshots: Snapshot[] = [];
  socket.onAny((_event, ...args: unknown[]) => seen.push(JSON.stringify(args)));
  socket.on('snapshot', (s) => snapshots.push(s));
  return { socket, seen, snapshots, text: () => seen.join('\n') };
}

const rest = async (path: string, token: string) => {
  const res = await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res.text();
};

function expectNone(text: string, what: string): void {
  for (const marker of FORBIDDEN) expect(text.includes(marker), `${what} carries ${marker}`).toBe(false);
}

it('a dispatcher gets every marker (so their absence elsewhere means something)', async () => {
  const desk = screen(tokens.dispatcher);
  await waitFor(() => desk.snapshots.length, 'the desk snapshot');
  await writeMarkers('desk');
  await waitFor(() => FORBIDDEN.every((m) => desk.text().includes(m)), 'every marker on the dispatcher screen');
  desk.socket.close();
  const snapshot = await rest('/api/snapshot', tokens.dispatcher);
  for (const marker of FORBIDDEN) expect(snapshot).toContain(marker);
});

// What each role must still get: the wall the task (at grid level) and the alert; the tablet the alert alone.
const mustSee = {
  wall: (tag: string) => [`"T-${tag}"`, `"AL-${tag}"`, `"R-${tag}"`],
  field: (tag: string) => [`"AL-${tag}"`, `"R-${tag}"`],
} as const;

for (const role of ['wall', 'field'] as const) {
  describe(`${role}: no personal data on any path`, () => {
    it('the live snapshot and live frames (changes and moves)', async () => {
      const s = screen(tokens[role]);
      await waitFor(() => s.snapshots.length, 'the snapshot');
      await writeMarkers(`live-${role}`);
      await waitFor(() => mustSee[role](`live-${role}`).every((id) => s.text().includes(id)) && s.text().includes('"moves"'), 'the markers’ entities and a move');
      // The entities of the first test are in the snapshot of this one.
      expect(s.text()).toContain('AL-desk');
      expectNone(s.text(), `${role} live`);
      if (role === 'field') expect(s.text()).not.toContain('T-live');
      else expect(s.text()).toContain(JSON.stringify(srv.app.gridLayers.current.gridPoint(gridId)));
      s.socket.close();
    });

    it('GET /api/snapshot', async () => {
      const text = await rest('/api/snapshot', tokens[role]);
      for (const id of mustSee[role]('desk')) expect(text).toContain(id);
      expectNone(text, `${role} GET /api/snapshot`);
    });

    it('a replay after a resume', async () => {
      const first = screen(tokens[role]);
      const snapshot = await waitFor(() => first.snapshots[0], 'the snapshot');
      first.socket.close();
      await writeMarkers(`replay-${role}`);
      const again = screen(tokens[role], { lastSeq: snapshot.seq, epoch: snapshot.epoch });
      const replays: string[] = [];
      again.socket.on('replay', (r) => replays.push(JSON.stringify(r)));
      await waitFor(() => replays.length, 'the replay');
      for (const id of mustSee[role](`replay-${role}`)) expect(replays[0]).toContain(id);
      expectNone(again.text(), `${role} replay`);
      again.socket.close();
    });

    it('after `subscribe`: the new snapshot and the frames that follow', async () => {
      const s = screen(tokens[role]);
      await waitFor(() => s.snapshots.length, 'the snapshot');
      s.socket.emit('subscribe', { area: { town } });
      await waitFor(() => s.snapshots.some((x) => x.reason === 'resubscribe'), 'the snapshot of the town');
      const resubscribed = JSON.stringify(s.snapshots.find((x) => x.reason === 'resubscribe'));
      expect(resubscribed).toContain('AL-desk');
      await writeMarkers(`sub-${role}`);
      await waitFor(() => mustSee[role](`sub-${role}`).every((id) => s.text().includes(id)), 'the markers’ entities');
      expectNone(s.text(), `${role} after subscribe`);
      s.socket.close();
    });

    it('a subscription in the handshake (how the field tablet connects)', async () => {
      const s = screen(tokens[role], { subscribe: { layers: ['samplingPoints', 'alerts', 'transfers', 'ambulances', 'testingRounds'], area: { town } } });
      await waitFor(() => s.snapshots.length, 'the snapshot');
      await writeMarkers(`hs-${role}`);
      await waitFor(() => s.text().includes(`"AL-hs-${role}"`), 'the alert');
      expectNone(s.text(), `${role} subscribed at the handshake`);
      s.socket.close();
    });
  });
}

describe("grid leads' names", () => {
  it('are not on the wall, and stay for field tablets and the command center', async () => {
    const leads = srv.app.gridLayers.current.props.map((p) => p.lead).filter((l) => l.length > 0);
    expect(leads.length).toBeGreaterThan(0);
    const wall = await rest('/api/grids', tokens.wall);
    const parsed = JSON.parse(wall) as { features: { properties: { lead: string; id: string } }[] };
    expect(parsed.features.length).toBe(srv.app.gridLayers.current.props.length);
    expect(parsed.features.every((f) => f.properties.lead === '')).toBe(true);
    for (const lead of new Set(leads)) expect(wall.includes(`"${lead}"`), lead).toBe(false);
    for (const role of ['field', 'commander'] as const) expect(await rest('/api/grids', tokens[role])).toContain(`"${leads[0]}"`);
  });

  it('the wall’s grids have their own ETag (a cached copy with names never answers it)', async () => {
    const etagOf = async (token: string) => (await fetch(`${srv.url}/api/grids`, { headers: { authorization: `Bearer ${token}` } })).headers.get('etag');
    expect(await etagOf(tokens.wall)).not.toBe(await etagOf(tokens.commander));
    const cached = await fetch(`${srv.url}/api/grids`, { headers: { authorization: `Bearer ${tokens.wall}`, 'if-none-match': (await etagOf(tokens.commander))! } });
    expect(cached.status).toBe(200);
  });
});

describe('exports carry no personal data (as their header says)', () => {
  it('GET /api/export/grids has no leads, /api/export/ambulances no crews', async () => {
    await writeMarkers('export');
    const leads = new Set(srv.app.gridLayers.current.props.map((p) => p.lead).filter((l) => l.length > 0));
    const grids = await rest('/api/export/grids', tokens.commander);
    expect(grids).toContain(gridId);
    for (const lead of leads) expect(grids.includes(`"${lead}"`), lead).toBe(false);
    const ambulances = await rest('/api/export/ambulances', tokens.commander);
    expect(ambulances).toContain(unitId);
    expectNone(ambulances, 'the ambulances export');
    for (const layer of ['samplingPoints', 'hotels', 'hospitals']) expectNone(await rest(`/api/export/${layer}`, tokens.commander), layer);
  });
});
