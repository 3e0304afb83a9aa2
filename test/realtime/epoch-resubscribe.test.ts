// The store's epoch and changing a subscription after connecting: a resume from
// another timeline gets a fresh snapshot, never a replay of someone else's seqs; a
// screen that picks another town gets that town's snapshot and, from then on, only its
// changes, with no hole in seq.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Delta, LiveServerEvents, Replay, Snapshot } from '../../server/schema/index.ts';
import type { TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';

type Client = LiveSocket;
const connect = (url: string, auth: Record<string, unknown>): Client => connectLive(url, auth);
const next = <E extends 'snapshot' | 'replay'>(socket: Client, event: E) => new Promise<Parameters<LiveServerEvents[E]>[0]>((resolve) => socket.once(event, resolve as never));

describe('epoch and resubscribe', () => {
  const env = useServer({ config: { liveFrameMs: 0, fieldFrameMs: 0 }, roles: ['field', 'commander'] });
  let srv: TestServer;
  let token: string;
  let writer: string;
  beforeAll(() => {
    srv = env.srv;
    token = env.tokens.field!;
    writer = env.tokens.commander!;
  });

  const touch = async (id: string) => {
    const p = (await srv.store.get('samplingPoints', id))!;
    await fetch(`${srv.url}/api/sampling-points/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ queue: p.queue + 1 }),
    });
  };

  it('names its epoch, replays within it, and starts afresh for a seq from another', async () => {
    const first = connect(srv.url, { token });
    const snap = (await next(first, 'snapshot')) as Snapshot;
    expect(snap.epoch).toBe(await srv.store.epoch());
    first.disconnect();

    const same = connect(srv.url, { token, lastSeq: snap.seq, epoch: snap.epoch });
    const replay = (await next(same, 'replay')) as Replay;
    expect(replay).toMatchObject({ after: snap.seq, epoch: snap.epoch });
    same.disconnect();

    const other = connect(srv.url, { token, lastSeq: snap.seq, epoch: 'a-store-wiped-and-reseeded' });
    const fresh = (await next(other, 'snapshot')) as Snapshot;
    expect(fresh.reason).toBe('resume-unavailable');
    expect(fresh.epoch).toBe(snap.epoch);
    other.disconnect();
  });

  it('switches a tablet to another town: that town’s snapshot, then only its changes, seq without holes', async () => {
    const ids = (town: string) =>
      Object.values(srv.app.county.seed.samplingPoints)
        .filter((p) => srv.app.county.locator.locate(p.location[0], p.location[1])?.townName === town)
        .map((p) => p.id);
    const seat = ids('渊泉镇');
    const xihu = ids('西湖镇');
    expect(seat.length && xihu.length).toBeTruthy();

    const socket = connect(srv.url, { token, subscribe: { layers: ['samplingPoints'], area: { town: '渊泉镇' } } });
    const first = (await next(socket, 'snapshot')) as Snapshot;
    expect(Object.keys(first.collections.samplingPoints).sort()).toEqual([...seat].sort());
    let seq = first.seq;
    const seen: string[] = [];
    socket.on('delta', (d: Delta) => {
      expect(d.from ?? d.seq).toBe(seq + 1);
      seq = d.seq;
      for (const c of d.changes) if (c.op === 'upsert') seen.push(c.entity.id);
    });

    const switched = next(socket, 'snapshot');
    socket.emit('subscribe', { layers: ['samplingPoints'], area: { town: '西湖镇' } });
    const second = (await switched) as Snapshot;
    expect(second.reason).toBe('resubscribe');
    expect(Object.keys(second.collections.samplingPoints).sort()).toEqual([...xihu].sort());
    seq = second.seq;

    await touch(seat[0]!); // the old town: not sent
    await touch(xihu[0]!); // the new one: sent
    await expect.poll(() => seen).toEqual([xihu[0]]);
    socket.disconnect();
  });
});
