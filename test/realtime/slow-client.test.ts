// A client that stops reading cannot make the server buffer without bound: it
// is cut off (logged and counted) while a client that reads keeps up.
import { beforeAll, expect, it } from 'vitest';
import type { Change, Delta, Snapshot } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

const env = useServer({ config: { slowClientLimit: 50 } });
let server: TestServer;
beforeAll(() => {
  server = env.srv;
});

it('cuts off a stalled client and keeps serving the others', async () => {
  const token = await login(server.url, 'wall');
  const connect = () => connectLive(server.url, { token });
  const stalled = connect();
  const healthy = connect();
  const snapshots = await Promise.all([stalled, healthy].map((c) => new Promise<Snapshot>((resolve) => c.once('snapshot', resolve))));
  const healthyDeltas: Delta[] = [];
  healthy.on('delta', (d) => healthyDeltas.push(d));
  const stalledDisconnected = new Promise<string>((resolve) => stalled.on('disconnect', resolve));

  // Stop reading from the network, as a frozen tablet or a dead link would.
  const transport = stalled.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } };
  transport.ws._socket.pause();

  // Flood: batches of every sampling point (~40 KB a delta) until the stalled client is cut off.
  const points = Object.values(snapshots[1]!.collections.samplingPoints);
  let round = 0;
  while (server.app.gateway.slowClientsDropped === 0 && round < 2000) {
    round++;
    const changes: Change[] = points.map((p) => ({ op: 'upsert', collection: 'samplingPoints', entity: { ...p, queue: round } }));
    await server.store.apply(changes, Date.now());
    await new Promise((r) => setImmediate(r));
  }
  expect(round).toBeGreaterThan(50); // not before the limit: the kernel buffers fill first
  expect(server.app.gateway.slowClientsDropped).toBe(1);
  expect(server.app.gateway.size).toBe(1); // the healthy one

  const finalSeq = await server.store.seq();
  await waitFor(() => healthyDeltas.at(-1)?.seq === finalSeq, `the healthy screen at seq ${finalSeq}`, 10_000, 20);
  expect(healthyDeltas.at(-1)?.seq).toBe(finalSeq);
  healthyDeltas.forEach((d, i) => expect(d.seq).toBe(snapshots[1]!.seq + 1 + i));

  transport.ws._socket.resume();
  expect(await stalledDisconnected).toBe('io server disconnect');
  stalled.close();
  healthy.close();
}, 60_000);
