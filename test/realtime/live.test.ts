// A real socket.io client against a listening server: snapshot, then every delta in order.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyDelta, type Delta, type Snapshot } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

type Client = LiveSocket;

function connect(url: string, token: string): Client {
  return connectLive(url, { token });
}

for (const storeKind of ['redis', 'memory'] as const) {
  describe(`realtime over socket.io (${storeKind} store)`, () => {
    const env = useServer({ redis: storeKind === 'redis' });
    let server: TestServer;
    let token: string;

    beforeAll(async () => {
      server = env.srv;
      token = await login(server.url, 'commander'); // sees every field (the wall's names are blanked)
    });

    it('refuses a connection without a valid token', async () => {
      const client = connect(server.url, 'forged');
      const err = await new Promise<Error>((resolve) => client.on('connect_error', resolve));
      expect(err.message).toBe('unauthorized');
      client.close();
    });

    it('sends a snapshot, then deltas with strictly increasing seq that rebuild the store’s state', async () => {
      const client = connect(server.url, token);
      let snapshot: Snapshot | null = null;
      const deltas: Delta[] = [];
      client.on('snapshot', (s) => (snapshot = s));
      client.on('delta', (d) => deltas.push(d));
      const snap = await waitFor(() => snapshot, 'the snapshot', 10_000, 10);
      expect(Object.keys(snap.collections.samplingPoints).length).toBeGreaterThan(50);
      expect(Object.keys(snap.collections.gridStatus)).toHaveLength(689);

      // Concurrent writers through the REST API while the client listens.
      const points = Object.keys(snap.collections.samplingPoints).slice(0, 10);
      const fieldToken = await login(server.url, 'field');
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          fetch(`${server.url}/api/sampling-points/${points[i % points.length]}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${fieldToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ queue: i }),
          }),
        ),
      );
      const finalSeq = await server.store.seq();
      await waitFor(() => deltas.at(-1)?.seq === finalSeq, `the delta of seq ${finalSeq}`, 10_000, 10);
      const seqs = [snap.seq, ...deltas.map((d) => d.seq)];
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);

      const rebuilt = structuredClone(snap.collections);
      for (const d of deltas) applyDelta(rebuilt, d);
      const truth = await server.store.snapshot();
      expect(rebuilt).toEqual(truth.collections);
      client.close();
    });

    it('answers resync with a fresh snapshot', async () => {
      const client = connect(server.url, token);
      const snaps: Snapshot[] = [];
      client.on('snapshot', (s) => snaps.push(s));
      await waitFor(() => snaps.length === 1, 'the first snapshot', 10_000, 10);
      client.emit('resync');
      await waitFor(() => snaps.length === 2, 'the resync’s snapshot', 10_000, 10);
      expect(snaps[1]!.seq).toBeGreaterThanOrEqual(snaps[0]!.seq);

      // A burst of resyncs while writes go on: the client still ends with the store's state.
      const deltas: Delta[] = [];
      client.on('delta', (d) => deltas.push(d));
      const fieldToken = await login(server.url, 'field');
      const point = Object.keys(snaps[0]!.collections.samplingPoints)[3]!;
      const writes = Array.from({ length: 20 }, (_, i) =>
        fetch(`${server.url}/api/sampling-points/${point}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${fieldToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ queue: 500 + i }),
        }),
      );
      for (let i = 0; i < 5; i++) client.emit('resync');
      await Promise.all(writes);
      const finalSeq = await server.store.seq();
      await waitFor(() => Math.max(snaps.at(-1)!.seq, deltas.at(-1)?.seq ?? 0) === finalSeq, `seq ${finalSeq}`, 10_000, 10);
      // Rebuild from the last snapshot and the deltas after it.
      const last = snaps.at(-1)!;
      const state = structuredClone(last.collections);
      for (const d of deltas) if (d.seq > last.seq) applyDelta(state, d);
      expect(state).toEqual((await server.store.snapshot()).collections);
      client.close();
    });
  });
}
