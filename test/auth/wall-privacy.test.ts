// The wall shows no personal data: a transfer's patient, address and the names of
// crews and staff are blanked in its snapshot, its live deltas and GET /api/snapshot,
// while a dispatcher's screen carries them.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveClientEvents, LiveServerEvents, Snapshot } from '../../server/schema/index.ts';
import { transfer } from '../helpers/fixtures.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.close();
});

function screen(token: string) {
  const seen: string[] = [];
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io(`${srv.url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  socket.on('snapshot', (s) => seen.push(JSON.stringify(s.collections)));
  socket.on('delta', (d) => seen.push(JSON.stringify(d.changes)));
  return { socket, seen };
}

it('blanks names for the wall, live and by REST, and keeps them for the dispatcher', async () => {
  const [wallToken, dispatcherToken] = await Promise.all([login(srv.url, 'wall'), login(srv.url, 'dispatcher')]);
  const wall = screen(wallToken);
  const dispatcher = screen(dispatcherToken);
  await waitFor(() => wall.seen.length && dispatcher.seen.length, 'both snapshots');
  const crew = Object.values(JSON.parse(dispatcher.seen[0]!).ambulances as Record<string, { crew: string[] }>).flatMap((a) => a.crew);
  expect(crew.length).toBeGreaterThan(0);
  for (const name of crew) expect(wall.seen[0]).not.toContain(`"${name}"`);

  const now = Date.now();
  const task = transfer('T-PRIV', now, { handover: { sendingSide: '李四', crew: ['王五'], receivingHospitalId: 'HOSP-DESIGNATED', receivedBy: '赵六' } });
  await srv.store.apply([{ op: 'upsert', collection: 'transfers', entity: task }], now);
  await waitFor(() => dispatcher.seen.some((m) => m.includes('T-PRIV')) && wall.seen.some((m) => m.includes('T-PRIV')), 'the task on both screens');
  const onWall = wall.seen.filter((m) => m.includes('T-PRIV')).join('');
  const onDesk = dispatcher.seen.filter((m) => m.includes('T-PRIV')).join('');
  for (const secret of ['张三', '某小区', '李四', '王五', '赵六']) {
    expect(onDesk).toContain(secret);
    expect(onWall).not.toContain(secret);
  }
  expect(onWall).toContain('"status":"created"'); // the task itself is there

  const rest = async (token: string) => JSON.stringify(((await (await fetch(`${srv.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()) as Snapshot).collections);
  expect(await rest(dispatcherToken)).toContain('张三');
  const wallRest = await rest(wallToken);
  expect(wallRest).toContain('T-PRIV');
  for (const secret of ['张三', '某小区', ...crew.map((c) => `"${c}"`)]) expect(wallRest).not.toContain(secret);
  wall.socket.close();
  dispatcher.socket.close();
});
