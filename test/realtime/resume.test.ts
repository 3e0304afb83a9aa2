// Resuming: a client that reconnects with the last seq it applied gets exactly
// the deltas it missed, or a snapshot that says why when they are gone.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyDelta, type Delta, type Replay, type Snapshot } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

type Client = LiveSocket;

interface Received {
  snapshots: Snapshot[];
  replays: Replay[];
  deltas: Delta[];
}

function connect(url: string, auth: Record<string, unknown>): { client: Client; got: Received } {
  const client: Client = connectLive(url, auth);
  const got: Received = { snapshots: [], replays: [], deltas: [] };
  client.on('snapshot', (s) => got.snapshots.push(s));
  client.on('replay', (r) => got.replays.push(r));
  client.on('delta', (d) => got.deltas.push(d));
  return { client, got };
}

/** Polls every 10 ms for up to 10 s. */
const until = (predicate: () => boolean, what: string) => waitFor(predicate, what, 10_000, 10);

for (const storeKind of ['redis', 'memory'] as const) {
  describe(`resume after a reconnect (${storeKind} store)`, () => {
    const env = useServer({ redis: storeKind === 'redis', eventRetention: 100 });
    let server: TestServer;
    let token: string;
    let fieldToken: string;
    let points: string[];

    const write = (i: number) =>
      fetch(`${server.url}/api/sampling-points/${points[i % points.length]}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${fieldToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queue: i }),
      });

    beforeAll(async () => {
      server = env.srv;
      token = await login(server.url, 'commander'); // sees every field (the wall's names are blanked)
      fieldToken = await login(server.url, 'commander'); // a field lead may change only their own points;
      points = Object.keys((await server.store.snapshot()).collections.samplingPoints).slice(0, 5);
    });

    it('replays exactly the missed deltas, then goes live', async () => {
      const first = connect(server.url, { token });
      await until(() => first.got.snapshots.length === 1, 'the first snapshot');
      const state = structuredClone(first.got.snapshots[0]!.collections);
      const lastSeq = first.got.snapshots[0]!.seq;
      expect(first.got.snapshots[0]!.reason).toBe('connect');
      first.client.close();

      for (let i = 0; i < 12; i++) expect((await write(i)).status).toBe(200);
      const second = connect(server.url, { token, lastSeq });
      await until(() => second.got.replays.length === 1, 'the replay');
      const replay = second.got.replays[0]!;
      expect(second.got.snapshots).toHaveLength(0);
      expect(replay.after).toBe(lastSeq);
      expect(replay.deltas.map((d) => d.seq)).toEqual(Array.from({ length: 12 }, (_, i) => lastSeq + 1 + i));

      for (let i = 12; i < 15; i++) await write(i);
      const finalSeq = await server.store.seq();
      await until(() => second.got.deltas.at(-1)?.seq === finalSeq, `the delta of seq ${finalSeq}`);
      const all = [...replay.deltas, ...second.got.deltas];
      all.forEach((d, i) => expect(d.seq).toBe(lastSeq + 1 + i));
      for (const d of all) applyDelta(state, d);
      expect(state).toEqual((await server.store.snapshot()).collections);
      second.client.close();
    });

    it('sends a snapshot marked resume-unavailable when the log no longer holds the seq', async () => {
      const lastSeq = await server.store.seq();
      for (let i = 0; i < 400; i++) await write(i);
      const { client, got } = connect(server.url, { token, lastSeq });
      await until(() => got.snapshots.length === 1, 'a snapshot');
      expect(got.replays).toHaveLength(0);
      expect(got.snapshots[0]!.reason).toBe('resume-unavailable');
      expect(got.snapshots[0]!.seq).toBe(await server.store.seq());
      client.close();
    });

    it('treats a seq from the future (another store) as unavailable, and a malformed one as a fresh connect', async () => {
      const { client, got } = connect(server.url, { token, lastSeq: 10_000_000 });
      await until(() => got.snapshots.length === 1, 'a snapshot');
      expect(got.snapshots[0]!.reason).toBe('resume-unavailable');
      client.close();
      const odd = connect(server.url, { token, lastSeq: -3 });
      await until(() => odd.got.snapshots.length === 1, 'a snapshot');
      expect(odd.got.snapshots[0]!.reason).toBe('connect');
      odd.client.close();
    });
  });
}
