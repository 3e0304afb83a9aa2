// Property-based fuzzing of the live socket (/live) with real socket.io clients: generated
// handshake `auth` objects (no valid token: refused with connect_error 'unauthorized'; a valid
// token with generated lastSeq, epoch and subscription: connected, unless the subscription is bad,
// which is refused by name), generated `subscribe`/`resync`/unknown events and raw packets on
// connected sockets, an oversized message, and a flood of events (cut off past EVENTS_PER_SECOND).
// Throughout, the server stays up and a well-behaved screen keeps receiving deltas.
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PER_SECOND } from '../../server/realtime/client-guards.ts';
import { LiveHandshake, Subscription, collectionNames } from '../../server/schema/index.ts';
import { connectLive } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';
import { startFuzzServer, type FuzzServer } from './harness.ts';
import { bodyText, deeplyNested, HOSTILE_STRINGS, hostileString, hostileValue, nestedUpTo, notJson, PROTO_KEYS, TRICK_OBJECTS } from './hostile-values.ts';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 7);
const RUNS = { handshakes: 50 * SCALE, events: 200 * SCALE };

type Outcome = { kind: 'live'; reason: string } | { kind: 'refused'; message: string } | { kind: 'closed'; reason: string };

describe('fuzzing the live socket', () => {
  let fz: FuzzServer;
  const counts = { handshakes: 0, events: 0, live: 0, resubscribed: 0 };
  const open: Socket[] = [];
  beforeAll(async () => {
    fz = await startFuzzServer();
  });
  afterAll(async () => {
    console.log(
      `fuzz: ${(counts.handshakes + counts.events).toLocaleString('en')} generated socket cases: ${counts.handshakes} handshakes (${counts.live} let in), ` +
        `${counts.events} events and raw packets (${counts.resubscribed} valid subscriptions, answered): 0 crashes`,
    );
    for (const s of open) s.close();
    await fz?.close();
  });

  const connect = (auth: unknown) => {
    // Untyped: the fuzz sends events and handshakes outside the live protocol.
    const socket = connectLive(fz.srv.url, auth as object) as unknown as Socket;
    open.push(socket);
    const outcome = new Promise<Outcome>((resolve) => {
      socket.once('snapshot', (s: { reason: string }) => resolve({ kind: 'live', reason: s.reason }));
      socket.once('replay', () => resolve({ kind: 'live', reason: 'replay' }));
      socket.once('connect_error', (e) => resolve({ kind: 'refused', message: e.message }));
      socket.once('disconnect', (reason) => resolve({ kind: 'closed', reason }));
      setTimeout(() => resolve({ kind: 'closed', reason: 'no answer in 5 s' }), 5000);
    });
    return { socket, outcome };
  };

  /** A screen that behaves: it connects, and sees a change made through the API. */
  const wellBehavedScreenSeesDeltas = async () => {
    const { socket, outcome } = connect({ token: fz.tokens.commander });
    expect(await outcome).toEqual({ kind: 'live', reason: 'connect' });
    const { collections } = await fz.srv.store.snapshot();
    const point = Object.values(collections.samplingPoints)[0]!;
    const seen = new Promise<number>((resolve) => socket.on('delta', (d: { seq: number }) => resolve(d.seq)));
    const res = await fetch(`${fz.srv.url}/api/sampling-points/${point.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fz.tokens.commander}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue: (point.queue + 1) % 500 }),
    });
    expect(res.status).toBe(200);
    expect(await seen).toBe(await fz.srv.store.seq());
    expect((await fetch(`${fz.srv.url}/api/health`)).status).toBe(200);
    socket.close();
  };

  // socket.io-client encodes recursively: deeper nesting than this goes out as raw packets (below).
  const subscriptionLike = fc.oneof(
    hostileValue,
    nestedUpTo(500),
    fc.record(
      {
        layers: fc.oneof(fc.subarray([...collectionNames]), fc.array(hostileString, { maxLength: 3 }), hostileValue),
        area: fc.oneof(
          fc.record({ town: fc.oneof(hostileString, fc.constantFrom('渊泉镇', '柳园镇')) }),
          fc.record({ grids: fc.array(hostileString, { maxLength: 3 }) }),
          fc.record({ bbox: fc.array(fc.oneof(fc.double(), fc.constantFrom(95, 40, 96, 41, NaN, Infinity)), { minLength: 3, maxLength: 5 }) }),
          hostileValue,
        ),
      },
      { requiredKeys: [] },
    ),
  );

  it(
    'refuses every generated handshake without a valid token with connect_error, and stays up',
    async () => {
      const token = fc.oneof(hostileValue, fc.constantFrom(...TRICK_OBJECTS), fc.constant(`${fz.tokens.admin}x`), fc.constant(fz.tokens.admin.slice(1)));
      const auth = fc.oneof(
        { weight: 3, arbitrary: fc.record({ token, lastSeq: hostileValue, epoch: hostileValue, subscribe: subscriptionLike }, { requiredKeys: [] }) },
        { weight: 1, arbitrary: hostileValue },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'token'), hostileValue) },
      );
      await fc.assert(
        fc.asyncProperty(auth, async (a) => {
          counts.handshakes++;
          const { socket, outcome } = connect(a);
          const result = await outcome;
          socket.close();
          // A handshake that is not even an object cannot name a namespace: socket.io closes the connection.
          if (result.kind === 'closed') expect(a === null || typeof a !== 'object' || Array.isArray(a), JSON.stringify(result)).toBe(true);
          else expect(result).toEqual({ kind: 'refused', message: 'unauthorized' });
        }),
        { numRuns: RUNS.handshakes, seed: SEED },
      );
      await wellBehavedScreenSeesDeltas();
    },
    60_000 * SCALE,
  );

  it(
    'connects a valid token whatever its lastSeq and epoch, and refuses a bad subscription by name',
    async () => {
      const seq = await fz.srv.store.seq();
      const lastSeq = fc.oneof(hostileValue, fc.integer({ min: 0, max: seq + 5 }), fc.constant(undefined));
      const epoch = fc.oneof(hostileValue, fc.constant(await fz.srv.store.epoch()), fc.constant(undefined));
      const subscribe = fc.oneof(subscriptionLike, fc.constant(undefined), fc.constant({ layers: ['ambulances'] }));
      await fc.assert(
        fc.asyncProperty(lastSeq, epoch, subscribe, async (l, e, s) => {
          counts.handshakes++;
          const { socket, outcome } = connect({ token: fz.tokens.dispatcher, lastSeq: l, epoch: e, subscribe: s });
          const result = await outcome;
          socket.close();
          if (s !== undefined && !LiveHandshake.shape.subscribe.safeParse(s).success) {
            expect(result.kind === 'refused' && result.message.startsWith('bad subscription'), JSON.stringify(result)).toBe(true);
          } else {
            expect(result.kind, JSON.stringify(result)).toBe('live');
            counts.live++;
          }
        }),
        { numRuns: RUNS.handshakes, seed: SEED + 1 },
      );
      await wellBehavedScreenSeesDeltas();
    },
    60_000 * SCALE,
  );

  it(
    'ignores generated events at a screen’s pace, keeps those sockets, and answers a valid subscription',
    async () => {
      // Twelve screens in turn, an event every 20 ms: each sends about 4 a second, under the limit.
      const pool = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const { socket, outcome } = connect({ token: fz.tokens.field });
          expect((await outcome).kind).toBe('live');
          return socket;
        }),
      );
      const name = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('subscribe', 'resync') },
        { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom(...PROTO_KEYS, 'toString', 'hasOwnProperty', 'snapshot', 'delta', 'error')) },
      );
      const args = fc.array(fc.oneof(subscriptionLike, fc.constant(null)), { maxLength: 3 });
      // Per screen: valid subscriptions sent, and new views received (several sent while one is on its way get one answer).
      const sent = pool.map(() => 0);
      const received = pool.map(() => 0);
      pool.forEach((socket, i) => socket.on('snapshot', (s: { reason: string }) => s.reason === 'resubscribe' && received[i]!++));
      let turn = 0;
      await fc.assert(
        fc.asyncProperty(name, args, async (event, payload) => {
          counts.events++;
          const i = turn++ % pool.length;
          const socket = pool[i]!;
          if (event === 'subscribe' && Subscription.nullable().safeParse(payload[0]).success) sent[i]!++;
          socket.emit(event, ...payload);
          await new Promise((r) => setTimeout(r, 20));
          expect(socket.connected, `socket ${i} cut off after ${event}`).toBe(true);
        }),
        { numRuns: RUNS.events, seed: SEED + 2 },
      );
      await waitFor(() => pool.every((_, i) => sent[i] === 0 || received[i]! > 0), 'every screen that subscribed validly got its new view');
      counts.resubscribed = sent.reduce((a, b) => a + b, 0);
      await wellBehavedScreenSeesDeltas();
      for (const socket of pool) expect(socket.connected).toBe(true);
    },
    60_000 * SCALE,
  );

  it(
    'survives raw malformed packets: at worst the sender is disconnected',
    async () => {
      const text = fc.oneof(
        notJson,
        fc.constantFrom(...HOSTILE_STRINGS.slice(0, 20)),
        fc.oneof(hostileValue, deeplyNested).map(bodyText),
        // An event with deep or hostile arguments, as the client library would frame it.
        fc.tuple(fc.constantFrom('subscribe', 'resync', '__proto__'), fc.oneof(hostileValue, deeplyNested)).map(([e, v]) => `[${JSON.stringify(e)},${bodyText(v)}]`),
      );
      // socket.io packet types 0–6 on the /live namespace, with generated data; and a packet with no type at all.
      const packet = fc.oneof(
        fc.tuple(fc.nat({ max: 9 }), text).map(([type, data]) => `${type}/live,${data}`),
        text,
      );
      await fc.assert(
        fc.asyncProperty(packet, async (raw) => {
          counts.events++;
          const { socket, outcome } = connect({ token: fz.tokens.wall });
          expect((await outcome).kind).toBe('live');
          (socket.io.engine as unknown as { write(data: string): void }).write(raw);
          await new Promise((r) => setTimeout(r, 10));
          socket.close();
        }),
        { numRuns: Math.round(RUNS.events / 4), seed: SEED + 3 },
      );
      await wellBehavedScreenSeesDeltas();
    },
    60_000 * SCALE,
  );

  it('cuts off a socket that sends an oversized message or floods events, and only that one', async () => {
    // Over socket.io's 1 MB message limit: the connection is closed.
    const big = connect({ token: fz.tokens.admin });
    expect((await big.outcome).kind).toBe('live');
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('subscribe', { layers: ['x'.repeat(2_000_000)] });
    expect(await closed).toBe('transport close');

    // Hundreds of events at once: cut off after EVENTS_PER_SECOND (the client may reconnect).
    const before = fz.srv.app.gateway.counts.flooded;
    const flood = connect({ token: fz.tokens.admin });
    expect((await flood.outcome).kind).toBe('live');
    let snapshots = 0;
    flood.socket.on('snapshot', () => snapshots++);
    const cut = new Promise<string>((resolve) => flood.socket.once('disconnect', resolve));
    for (let i = 0; i < 300; i++) flood.socket.emit(i % 2 ? 'resync' : 'subscribe', null);
    expect(await cut).toBe('io server disconnect');
    await waitFor(() => fz.srv.app.gateway.counts.flooded > before, 'the flood counted');
    // Within one or two clock seconds, at most the allowed events were served.
    expect(snapshots).toBeLessThanOrEqual(2 * EVENTS_PER_SECOND);

    // A screen at a steady 5 events a second is never cut off.
    const steady = connect({ token: fz.tokens.admin });
    expect((await steady.outcome).kind).toBe('live');
    for (let i = 0; i < 12; i++) {
      steady.socket.emit('resync');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(steady.socket.connected).toBe(true);
    steady.socket.close();
    await wellBehavedScreenSeesDeltas();
  }, 30_000);
});
