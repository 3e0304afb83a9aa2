// One session may hold only so many live sockets, and be served only so many snapshots
// or replays a minute; over either it gets a clear refusal (Chinese first) and no
// snapshot. The root namespace admits nobody: the board speaks on /live only.
import { beforeAll, describe, expect, it } from 'vitest';
import { LiveLimits } from '../../server/realtime/live-limits.ts';
import type { Snapshot } from '../../server/schema/index.ts';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';

const SOCKETS = 3;
const PER_MINUTE = 5;

const env = useServer({ config: { liveSocketsPerSession: SOCKETS, liveResumesPerMinute: PER_MINUTE } });
let srv: TestServer;
beforeAll(() => {
  srv = env.srv;
});

interface Screen {
  socket: LiveSocket;
  snapshots: Snapshot[];
  errors: { error: string; message: string }[];
  /** Resolves to 'connected', or the connect_error's message and data. */
  outcome: Promise<{ connected: true } | { connected: false; message: string; data: unknown }>;
}

function screen(url: string, auth: Record<string, unknown>, path = '/live'): Screen {
  const socket = connectLive(url, auth, { namespace: path });
  const snapshots: Snapshot[] = [];
  const errors: { error: string; message: string }[] = [];
  socket.on('snapshot', (s) => snapshots.push(s));
  socket.on('live-error', (e) => errors.push(e));
  const outcome = new Promise<{ connected: true } | { connected: false; message: string; data: unknown }>((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (err) => resolve({ connected: false, message: err.message, data: (err as Error & { data?: unknown }).data }));
  });
  return { socket, snapshots, errors, outcome };
}

describe('live sockets per session', () => {
  it(`admits ${SOCKETS} sockets of a session, refuses the next with a clear answer, and admits one again once another closes`, async () => {
    const token = await login(srv.url, 'wall');
    const open = Array.from({ length: SOCKETS }, () => screen(srv.url, { token }));
    for (const s of open) expect(await s.outcome).toEqual({ connected: true });
    const over = screen(srv.url, { token });
    const refused = await over.outcome;
    expect(refused).toMatchObject({ connected: false, message: 'too-many-sockets', data: { error: 'too-many-sockets' } });
    expect((refused as { data: { message: string } }).data.message).toMatch(/^此会话打开的实时连接过多.*\(too many live connections/);
    await new Promise((r) => setTimeout(r, 200));
    expect(over.snapshots).toEqual([]);

    // Another session (another tab signed in on its own) has its own share.
    const other = screen(srv.url, { token: await login(srv.url, 'wall') });
    expect(await other.outcome).toEqual({ connected: true });

    open[0]!.socket.close();
    const again = await waitFor(async () => {
      const s = screen(srv.url, { token });
      const o = await s.outcome;
      if (o.connected) return s;
      s.socket.close();
      return null;
    }, 'a slot freed by the closed socket');
    await waitFor(() => again.snapshots.length, 'its snapshot');
    for (const s of [...open, other, again, over]) s.socket.close();
  });
});

describe('snapshots and replays per session per minute', () => {
  it(`serves ${PER_MINUTE} (connects, resyncs, subscribes), then refuses with live-error and sends none; a new connection is refused too`, async () => {
    // The limit counts by the clock's minute: start early in one, so the whole check falls in it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 30_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
    const token = await login(srv.url, 'dispatcher');
    const s = screen(srv.url, { token });
    expect(await s.outcome).toEqual({ connected: true });
    await waitFor(() => s.snapshots.length === 1, 'the snapshot on connect');
    for (let n = 2; n <= PER_MINUTE - 1; n++) {
      s.socket.emit('resync');
      await waitFor(() => s.snapshots.length === n, `snapshot ${n}`);
    }
    s.socket.emit('subscribe', { layers: ['samplingPoints'] });
    await waitFor(() => s.snapshots.length === PER_MINUTE, 'the snapshot of the subscription');

    s.socket.emit('resync');
    await waitFor(() => s.errors.length === 1, 'the refusal');
    s.socket.emit('subscribe', null);
    await waitFor(() => s.errors.length === 2, 'the second refusal');
    expect(s.errors[0]).toEqual({ error: 'too-many-snapshots', message: expect.stringMatching(/^快照请求过于频繁.*\(too many snapshot or resume requests/) });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.snapshots).toHaveLength(PER_MINUTE);
    expect(s.socket.connected).toBe(true); // refused, not cut off

    const next = screen(srv.url, { token, lastSeq: s.snapshots.at(-1)!.seq, epoch: s.snapshots.at(-1)!.epoch });
    expect(await next.outcome).toMatchObject({ connected: false, message: 'too-many-snapshots' });

    const fresh = screen(srv.url, { token: await login(srv.url, 'dispatcher') });
    await waitFor(() => fresh.snapshots.length, 'another session’s snapshot');
    for (const x of [s, next, fresh]) x.socket.close();
  }, 60_000);

  it('counts by the minute (the next minute starts afresh)', () => {
    let now = 60_000 * 1000;
    const limits = new LiveLimits(2, 2, () => now);
    expect([limits.serve('a'), limits.serve('a'), limits.serve('a'), limits.serve('b')]).toEqual([true, true, false, true]);
    now += 60_000;
    expect(limits.serve('a')).toBe(true);
    expect([limits.open('a'), limits.open('a'), limits.open('a')]).toEqual([true, true, false]);
    limits.close('a');
    expect(limits.open('a')).toBe(true);
  });
});

describe('the root namespace', () => {
  it('admits nobody, with a token or without', async () => {
    for (const auth of [{}, { token: await login(srv.url, 'commander') }]) {
      const s = screen(srv.url, auth, '/');
      expect(await s.outcome).toMatchObject({ connected: false, message: 'not-found' });
      s.socket.close();
    }
  });
});
