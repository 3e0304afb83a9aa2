// Frames: screens get deltas coalesced at their own rate (field tablets slower),
// covering every seq once, in order, and ending with the store's state.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyDelta, type Change, type Delta, type Snapshot } from '../../server/schema/index.ts';
import { viewCollections } from '../../server/domain/privacy.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectLive } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
beforeAll(async () => {
  // State changes wait as long as movement here (stateFrameMs): this file's first test is about the frame rates.
  server = await startTestServer({ config: { liveFrameMs: 100, fieldFrameMs: 500, stateFrameMs: 500 } });
});
afterAll(async () => {
  await server?.close();
});

async function watch(role: string, on = server) {
  const token = await login(on.url, role);
  const client = connectLive(on.url, { token });
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
  await waitFor(() => wall.frames.at(-1)?.delta.seq === finalSeq && field.frames.at(-1)?.delta.seq === finalSeq, `both screens at seq ${finalSeq}`, 5000, 20);
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
    const queues = frames.flatMap(({ delta }) => delta.changes.flatMap((c) => (c.op === 'upsert' && c.collection === 'samplingPoints' ? [c.entity.queue] : [])));
    expect(queues).toEqual(Array.from({ length: Math.floor(step / 5) }, (_, i) => (i + 1) * 5));
    // And the frames rebuild the store's state.
    const state = structuredClone(snapshot.collections);
    for (const { delta } of frames) applyDelta(state, delta);
    expect(state).toEqual(truth.collections);
  }
  // About 100 deltas went by: the wall got them in ~20 frames, the tablet in ~4.
  expect(step).toBeGreaterThan(40);
  expect(wall.frames.length).toBeLessThan(step / 2);
  expect(field.frames.length).toBeLessThan(wall.frames.length);
  // A frame carries each moving ambulance once, as a move (where it is), not as the whole vehicle.
  for (const { frames } of [wall, field]) {
    const last = frames.at(-2)!.delta;
    const moved = (last.moves ?? []).map(([id]) => id);
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved).size).toBe(moved.length);
    expect(last.changes.filter((c) => c.collection === 'ambulances')).toEqual([]);
  }
  wall.client.close();
  field.client.close();
}, 30_000);

it('holds movement to the frame interval, but sends a state change at once, with the movement so far', async () => {
  // A tablet on one frame per 5 s; a state change may wait at most 50 ms.
  const slow = await startTestServer({ config: { liveFrameMs: 5000, fieldFrameMs: 5000, stateFrameMs: 50 } });
  try {
    const field = await watch('field', slow);
    // As the store holds it: the tablet's copy has no crew (server/domain/privacy.ts), and writing that back would be more than a move.
    const ambulance = Object.values((await slow.store.snapshot()).collections.ambulances).find((a) => a.fix)!;
    const point = Object.values(field.snapshot.collections.samplingPoints)[0]!;
    const move = (step: number) =>
      slow.store.apply(
        [
          {
            op: 'upsert',
            collection: 'ambulances',
            entity: { ...ambulance, fix: { ...ambulance.fix!, lng: ambulance.fix!.lng + step * 1e-4, at: Date.now() }, updatedAt: Date.now() },
          },
        ],
        Date.now(),
      );
    // After a quiet spell the first goes at once; the next are held.
    await move(1);
    const until = async (n: number) => {
      await waitFor(() => field.frames.length >= n, `${n} frames on the tablet`, 3000, 10);
    };
    await until(1);
    for (let step = 2; step <= 4; step++) await move(step);
    await new Promise((r) => setTimeout(r, 300));
    expect(field.frames).toHaveLength(1);
    expect(field.frames[0]!.delta.moves?.map(([id]) => id)).toEqual([ambulance.id]);

    const changedAt = Date.now();
    await slow.store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, queue: point.queue + 7 } }], Date.now());
    await until(2);
    // Well inside the 5 s interval: the queue count, and the vehicle where it is now, in one frame.
    expect(field.frames).toHaveLength(2);
    expect(field.frames[1]!.at - changedAt).toBeLessThan(2500);
    const frame = field.frames[1]!.delta;
    expect(frame.changes).toEqual([{ op: 'upsert', collection: 'samplingPoints', entity: expect.objectContaining({ id: point.id, queue: point.queue + 7 }) }]);
    expect(frame.moves).toHaveLength(1);
    expect(frame.moves![0]![1]).toBeCloseTo(ambulance.fix!.lng + 4e-4, 9);
    const state = structuredClone(field.snapshot.collections);
    for (const { delta } of field.frames) applyDelta(state, delta);
    expect(state).toEqual(viewCollections('field', (await slow.store.snapshot()).collections, { gridPoint: (id) => slow.app.gridLayers.current.gridPoint(id) }));
    field.client.close();
  } finally {
    await slow.close();
  }
}, 30_000);
