// Frames: screens get deltas coalesced at their own rate (field tablets slower),
// covering every seq once, in order, and ending with the store's state.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyChanges,
  type Change,
  type Delta,
  type LiveClientEvents,
  type LiveServerEvents,
  type Snapshot,
} from '../../server/schema/index.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { liveFrameMs: 100, fieldFrameMs: 500 } });
});
afterAll(async () => {
  await server?.close();
});

async function watch(role: string) {
  const token = await login(server.url, role);
  const client: Socket<LiveServerEvents, LiveClientEvents> = io(`${server.url}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const frames: { delta: Delta; at: number }[] = [];
  const snapshot = await new Promise<Snapshot>((resolve) => client.once('snapshot', resolve));
  client.on('delta', (delta) => frames.push({ delta, at: Date.now() }));
  return { client, frames, snapshot };
}

it('coalesces a busy stream into frames per screen, losing no state change', async () => {
  const wall = await watch('wall');
  const field = await watch('field');
  const snap = wall.snapshot;
  const ambulances = Object.values(snap.collections.ambulances);
  const point = Object.values(snap.collections.samplingPoints)[0]!;

  // 2 s of traffic: every ambulance moves every 20 ms; a queue count changes every 100 ms.
  const started = Date.now();
  let step = 0;
  while (Date.now() - started < 2000) {
    step++;
    const changes: Change[] = ambulances.map((a) => ({
      op: 'upsert',
      collection: 'ambulances',
      entity: { ...a, fix: { ...a.fix!, lng: a.fix!.lng + step * 1e-5, at: Date.now() } },
    }));
    if (step % 5 === 0) changes.push({ op: 'upsert', collection: 'samplingPoints', entity: { ...point, queue: step } });
    await server.store.apply(changes, Date.now());
    await new Promise((r) => setTimeout(r, 20));
  }
  const finalSeq = await server.store.seq();
  const deadline = Date.now() + 5000;
  while ((wall.frames.at(-1)?.delta.seq !== finalSeq || field.frames.at(-1)?.delta.seq !== finalSeq) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const truth = await server.store.snapshot();

  for (const { frames, snapshot } of [wall, field]) {
    // Every seq covered exactly once, in order.
    let next = snapshot.seq + 1;
    for (const { delta } of frames) {
      expect(delta.from ?? delta.seq).toBe(next);
      next = delta.seq + 1;
    }
    expect(next).toBe(finalSeq + 1);
    // No queue count was dropped: each one the store took is in some frame.
    const queues = frames.flatMap(({ delta }) =>
      delta.changes.flatMap((c) => (c.op === 'upsert' && c.collection === 'samplingPoints' ? [c.entity.queue] : [])),
    );
    expect(queues).toEqual(Array.from({ length: Math.floor(step / 5) }, (_, i) => (i + 1) * 5));
    // And the frames rebuild the store's state.
    const state = structuredClone(snapshot.collections);
    for (const { delta } of frames) applyChanges(state, delta.changes);
    expect(state).toEqual(truth.collections);
  }
  // About 100 deltas went by: the wall got them in ~20 frames, the tablet in ~4.
  expect(step).toBeGreaterThan(40);
  expect(wall.frames.length).toBeLessThan(step / 2);
  expect(field.frames.length).toBeLessThan(wall.frames.length);
  // A frame carries each moving ambulance once.
  const last = wall.frames.at(-2)!.delta;
  const ids = last.changes.filter((c) => c.collection === 'ambulances').map((c) => (c.op === 'upsert' ? c.entity.id : c.id));
  expect(new Set(ids).size).toBe(ids.length);
  wall.client.close();
  field.client.close();
}, 30_000);
