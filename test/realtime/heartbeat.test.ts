// The heartbeat: every LIVE_HEARTBEAT_MS each live socket hears the seq this process has
// reached and its time, whether or not anything changed, and the seq follows the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';

describe('the live heartbeat', () => {
  let srv: TestServer;
  let socket: LiveSocket;
  beforeAll(async () => {
    srv = await startTestServer({ config: { heartbeatMs: 300 } });
    socket = connectLive(srv.url, { token: await login(srv.url, 'wall') });
  });
  afterAll(async () => {
    socket?.close();
    await srv?.close();
  });

  const nextBeat = () => new Promise<{ seq: number; at: number }>((resolve) => socket.once('heartbeat', resolve));

  it('beats with nothing changing, carrying the store’s seq, and follows a change', async () => {
    const first = await nextBeat();
    const second = await nextBeat();
    expect(second.at).toBeGreaterThan(first.at);
    expect(second.seq).toBe(await srv.store.seq());
    const point = Object.values((await srv.store.snapshot()).collections.samplingPoints)[0]!;
    await srv.store.apply([{ op: 'upsert', collection: 'samplingPoints', entity: { ...point, queue: point.queue + 1 } }], Date.now());
    const target = await srv.store.seq();
    let beat = await nextBeat();
    while (beat.seq < target) beat = await nextBeat();
    expect(beat.seq).toBe(target);
  });
});
