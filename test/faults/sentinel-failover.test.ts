// The machine under the Redis primary dies. A primary, two replicas and three Sentinels,
// two board processes on them (REDIS_SENTINELS, REDIS_WAIT_REPLICAS=1), writers through
// both (ambulance positions, queue taps with opIds retried like the tablet's outbox,
// transfers) and live screens on both; the primary is killed with SIGKILL under load.
// The Sentinels elect a replica, both processes find it by themselves, and afterwards:
// every write answered 2xx is in the store (0 lost), no opId counted twice, and every
// screen holds exactly the store's state with no hole, duplicate or step back in its seq.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../server/schema/index.ts';
import { LiveFollower } from '../helpers/live-follower.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { MASTER_NAME, startSentinels, track, type TestSentinels } from '../helpers/sentinel.ts';
import { DEMO_PASSWORD, login } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const SEAT = [95.78, 40.52] as const;
const CALL = { symptoms: true, history: { travel: true, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };

let redis: TestSentinels;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  redis = await startSentinels(2);
  const env = {
    REDIS_SENTINELS: redis.sentinelsEnv,
    REDIS_MASTER_NAME: MASTER_NAME,
    REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_TIMEOUT_MS: '300',
    DEMO_PASSWORD,
    ALERT_INTERVAL_SECONDS: '3600',
    LIVE_SOCKETS_PER_SESSION: '100',
    LIVE_RESUMES_PER_MINUTE: '10000',
    LOGIN_RATE_LIMIT: '1000',
  };
  // Each is killed when the test process exits, even if the other failed to start.
  // One after the other, and up to 120 s each: beside other suites on two cores one start took more
  // than 30 s, and with the machine eight times oversubscribed (load average 16) more than 60 s.
  const start = () => startServerProcess(env, { readyMs: 120_000 }).then((s) => (track(s.child), s));
  a = await start();
  b = await start();
}, 300_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

type Outcome = { status: number; sentAt: number; answeredAt: number; via: 'a' | 'b' };

it('survives the primary killed under load: a new primary, no acknowledged write lost, no opId twice, every screen exact', async () => {
  const servers = { a, b };
  const [dispatcher, commander, wall] = await Promise.all(['dispatcher', 'commander', 'wall'].map((r) => login(a.url, r)));
  const tokens = { dispatcher: dispatcher!, commander: commander!, wall: wall! };
  // Three screens on each process, of three roles (their views differ); they reconnect when cut, as the board does.
  const screens = (['a', 'b'] as const).flatMap((via) =>
    (['commander', 'dispatcher', 'wall'] as const).map((role) => {
      const s = new LiveFollower(servers[via].url, tokens[role]);
      s.autoReconnect = true;
      s.connect();
      return { s, via, role };
    }),
  );
  await waitFor(() => screens.every(({ s }) => s.collections), 'every screen has its snapshot');
  const first = screens[0]!.s.collections!;
  const units = Object.keys(first.ambulances).slice(0, 8);
  const points = Object.keys(first.samplingPoints).slice(0, 4);
  const initialQueue = Object.fromEntries(points.map((p) => [p, first.samplingPoints[p]!.queue]));

  const outcomes: Outcome[] = [];
  const unexpected: string[] = [];
  const post = async (via: 'a' | 'b', path: string, token: string, body: unknown): Promise<{ status: number; json: unknown }> => {
    const sentAt = Date.now();
    let status = 0;
    let json: unknown = null;
    try {
      const res = await fetch(`${servers[via].url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      json = await res.json().catch(() => null);
    } catch (err) {
      unexpected.push(`${path} via ${via}: ${String(err)}`);
    }
    outcomes.push({ status, sentAt, answeredAt: Date.now(), via });
    if (status !== 0 && !(status >= 200 && status < 300) && status !== 503) unexpected.push(`${path} via ${via}: ${status} ${JSON.stringify(json)}`);
    return { status, json };
  };

  let writing = true;
  /** Every write answered 2xx with its seq: each must be in the new primary's event log, as answered. */
  const acked: { seq: number; collection: string; id: string; fixAt?: number }[] = [];
  // Positions: each unit written by one writer, its fixes' times rising; what was acknowledged, and all that was tried.
  const ackedFix = new Map<string, number>();
  const triedFix = new Map<string, Set<number>>();
  const positions = (via: 'a' | 'b', mine: string[]) =>
    (async () => {
      let last = 0;
      for (let i = 0; writing; i++) {
        const unit = mine[i % mine.length]!;
        const at = (last = Math.max(Date.now(), last + 1));
        triedFix.set(unit, (triedFix.get(unit) ?? new Set()).add(at));
        const { status, json } = await post(via, `/api/ambulances/${unit}/position`, tokens.dispatcher, { lng: SEAT[0] + (i % 50) * 1e-4, lat: SEAT[1] + (i % 30) * 1e-4, at });
        if (status >= 200 && status < 300) {
          ackedFix.set(unit, Math.max(ackedFix.get(unit) ?? 0, at));
          acked.push({ seq: (json as { seq: number }).seq, collection: 'ambulances', id: unit, fixAt: at });
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
  // Queue taps: +1 each under a fresh opId, retried with the same opId until answered 2xx (the tablet's outbox).
  const taps = new Map<string, number>();
  let retried = 0;
  let duplicates = 0;
  const tapper = (via: 'a' | 'b', point: string) =>
    (async () => {
      while (writing) {
        const opId = randomUUID();
        for (let attempt = 0; ; attempt++) {
          if (attempt > 0) retried++;
          if (attempt > 300) {
            unexpected.push(`op ${opId} never accepted`);
            return;
          }
          // The retry goes to either process, as through a load balancer.
          const { status, json } = await post(attempt % 2 === 0 ? via : via === 'a' ? 'b' : 'a', `/api/sampling-points/${point}/ops`, tokens.commander, {
            opId,
            op: { kind: 'queue-add', delta: 1 },
          });
          if (status >= 200 && status < 300) {
            taps.set(point, (taps.get(point) ?? 0) + 1);
            // A repeat's answer carries no seq (the first one's write is counted by the queue below).
            if ((json as { duplicate?: boolean }).duplicate) duplicates++;
            else acked.push({ seq: (json as { seq: number }).seq, collection: 'samplingPoints', id: point });
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  // Transfers: created, never retried (no opId: a 503 may or may not have saved one, the dispatcher looks).
  const transfers = new Set<string>();
  const dispatch = (via: 'a' | 'b') =>
    (async () => {
      for (let i = 0; writing; i++) {
        const { status, json } = await post(via, '/api/transfers', tokens.dispatcher, { call: CALL, pickup: { location: SEAT }, patient: `患者${via}${i}` });
        if (status === 201) {
          const { data, seq } = json as { data: { id: string }; seq: number };
          transfers.add(data.id);
          acked.push({ seq, collection: 'transfers', id: data.id });
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
  const writers = [
    positions('a', units.slice(0, 4)),
    positions('b', units.slice(4)),
    tapper('a', points[0]!),
    tapper('a', points[1]!),
    tapper('b', points[2]!),
    tapper('b', points[3]!),
    dispatch('a'),
    dispatch('b'),
  ];

  await new Promise((r) => setTimeout(r, 3000));
  const oldPrimary = await redis.primaryPort();
  const acceptedBefore = outcomes.filter((o) => o.status >= 200 && o.status < 300).length;
  expect(acceptedBefore).toBeGreaterThan(0);
  redis.node(oldPrimary)!.child.kill('SIGKILL');
  const killedAt = Date.now();
  const newPrimary = await redis.waitForNewPrimary(oldPrimary);
  const electedMs = Date.now() - killedAt;
  // Both processes write through the new primary by themselves.
  const acceptedVia = (via: 'a' | 'b', after: number) => outcomes.some((o) => o.via === via && o.sentAt > after && o.status >= 200 && o.status < 300);
  const electedAt = Date.now();
  await waitFor(() => acceptedVia('a', electedAt) && acceptedVia('b', electedAt), 'writes accepted through both processes after the election', 30_000);
  await new Promise((r) => setTimeout(r, 2000));
  writing = false;
  await Promise.all(writers);
  // What the servers said of an unexpected answer (a 500 is logged with its error).
  const errorsLogged = (s: ServerProcess) =>
    s
      .output()
      .split('\n')
      .filter((l) => /"level":50|internal/.test(l))
      .slice(-5)
      .join('\n');
  expect(unexpected, `a: ${errorsLogged(a)}\nb: ${errorsLogged(b)}`).toEqual([]);

  // The primary the Sentinels name now: the elected one, unless a starved Sentinel has failed it
  // over again meanwhile (then everything below must hold after both failovers).
  const primaryNow = await redis.waitForNewPrimary(oldPrimary);
  // Every connection of both processes is on the new primary (named board-<pid>): commands, reader, subscribers.
  const primary = new Redis({ host: '127.0.0.1', port: primaryNow, lazyConnect: true });
  await primary.connect();
  let log: Map<number, { collection: string; entity?: { id: string; fix?: { at: number } }; id?: string }[]>;
  try {
    expect(((await primary.call('ROLE')) as [string])[0], `:${primaryNow} is a primary still\n${redis.logs()}`).toBe('master');
    // A subscriber with nothing to send finds the new primary on its own reconnection schedule.
    const connectionsOf = async (pid: number | undefined) => ((await primary.client('LIST')) as string).match(new RegExp(`name=board-[^ ]*-${pid} `, 'g'))?.length ?? 0;
    for (const s of [a, b]) {
      await waitFor(async () => (await connectionsOf(s.child.pid)) >= 3, `three connections of process ${s.child.pid} on the new primary`, 15_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${errorsLogged(s)}`);
      });
    }
    const entries = await primary.xrange('epi:events', '-', '+');
    log = new Map(entries.map(([id, fields]) => [Number(id.split('-')[0]), JSON.parse(fields[fields.indexOf('changes') + 1]!) as never]));
    // The log itself has no hole: one entry for every seq up to the store's.
    expect(entries.length).toBe(Number(await primary.get('epi:seq')));
  } finally {
    primary.disconnect();
  }
  // 0 lost: every write answered 2xx is in the new primary's log under the seq it was answered with, as written.
  const found = acked.filter(({ seq, collection, id, fixAt }) =>
    (log.get(seq) ?? []).some((c) => c.collection === collection && (c.entity?.id ?? c.id) === id && (fixAt === undefined || c.entity?.fix?.at === fixAt)),
  ).length;
  expect(found).toBe(acked.length);

  // The store as each role sees it, through both processes: one state.
  const snapshotOf = async (via: 'a' | 'b', role: keyof typeof tokens) =>
    (await (await fetch(`${servers[via].url}/api/snapshot`, { headers: { authorization: `Bearer ${tokens[role]}` } })).json()) as Snapshot;
  const store = await snapshotOf('a', 'commander');
  expect((await snapshotOf('b', 'commander')).seq).toBe(store.seq);

  // 0 acknowledged writes lost: each unit holds its last acknowledged fix or a later one tried (answered 503 yet saved).
  let fixesFound = 0;
  for (const [unit, at] of ackedFix) {
    const fixAt = store.collections.ambulances[unit]!.fix?.at ?? 0;
    expect(fixAt, unit).toBeGreaterThanOrEqual(at);
    expect(triedFix.get(unit)!.has(fixAt), unit).toBe(true);
    fixesFound++;
  }
  // Every tap counted exactly once: none lost, no opId applied twice.
  for (const point of points) expect(store.collections.samplingPoints[point]!.queue - initialQueue[point]!, point).toBe(taps.get(point) ?? 0);
  const transfersFound = [...transfers].filter((id) => store.collections.transfers[id]).length;
  expect(transfersFound).toBe(transfers.size);

  // Every screen ends equal to the store, having seen each seq once, in order, never one taken back.
  await waitFor(() => screens.every(({ s }) => s.connected && s.seq === store.seq), 'every screen at the store seq', 30_000).catch((err: unknown) => {
    const states = screens.map(
      ({ s, via, role }) =>
        `${role} on ${via} (pid ${servers[via].child.pid}): seq ${s.seq}, connected ${s.connected}, snapshots ${s.snapshots}, replays ${s.replays}, reconnections ${s.reconnections}, out of order ${s.outOfOrder.length}`,
    );
    throw new Error(`${String(err)}; the store at ${store.seq}:\n${states.join('\n')}\na: ${errorsLogged(a)}\nb: ${errorsLogged(b)}`);
  });
  const views = { commander: store, dispatcher: await snapshotOf('a', 'dispatcher'), wall: await snapshotOf('a', 'wall') };
  for (const { s, via, role } of screens) {
    expect(s.outOfOrder, `${role} on ${via}`).toEqual([]);
    expect(s.wentBack, `${role} on ${via}`).toEqual([]);
    expect(s.collections, `${role} on ${via}`).toEqual(views[role].collections);
  }

  const ok = (o: Outcome) => o.status >= 200 && o.status < 300;
  const firstAccepted = Math.min(...outcomes.filter((o) => ok(o) && o.sentAt > killedAt).map((o) => o.answeredAt));
  const refused = outcomes.filter((o) => o.status === 503).length;
  const tapsAcked = [...taps.values()].reduce((x, y) => x + y, 0);
  console.log(
    [
      `sentinel failover: primary :${oldPrimary} killed, :${newPrimary} elected ${electedMs} ms after${primaryNow === newPrimary ? '' : ` (then failed over again, to :${primaryNow})`}; first write accepted ${firstAccepted - killedAt} ms after the kill`,
      `sentinel failover: writes acknowledged ${outcomes.filter(ok).length} (${acceptedBefore} before the kill), answered 503 ${refused}; with a seq ${acked.length}, found in the new primary's log ${found}, lost ${acked.length - found}`,
      `sentinel failover: positions: ${fixesFound} units hold their last acknowledged fix or a later one; queue taps: ${tapsAcked} acknowledged, counted ${tapsAcked} (retried ${retried} times, ${duplicates} answered as repeats, none applied twice); transfers: ${transfers.size} created, found ${transfersFound}`,
      `sentinel failover: ${screens.length} screens at seq ${store.seq}, equal to the store, no hole, duplicate or step back (reconnections ${screens.reduce((n, { s }) => n + s.reconnections, 0)}, snapshots ${screens.reduce((n, { s }) => n + s.snapshots, 0)})`,
    ].join('\n'),
  );
  for (const { s } of screens) {
    s.autoReconnect = false;
    s.disconnect();
  }
}, 120_000);
