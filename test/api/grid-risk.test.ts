// Setting grid risk levels on a real Redis: sealing a grid controls its low-level
// neighbours in one atomic delta that a live client receives whole; lowering it leaves
// them; bad input and unknown grids change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, GridStatus } from '../../server/schema/index.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive, type LiveSocket } from '../helpers/live.ts';

describe('grid risk levels', () => {
  const env = useServer({ redis: true });
  let token: string;
  let socket: LiveSocket;
  const deltas: Delta[] = [];
  beforeAll(async () => {
    token = await login(env.srv.url, 'commander');
    socket = connectLive(env.srv.url, { token: await login(env.srv.url, 'dispatcher') }, { reconnection: true });
    socket.on('delta', (d) => deltas.push(d));
    await new Promise((r) => socket.once('snapshot', r));
  });
  afterAll(async () => {
    socket?.close();
  });
  const put = (id: string, body: unknown) =>
    fetch(`${env.srv.url}/api/grids/${id}/risk`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const level = async (id: string) => (await env.srv.store.get('gridStatus', id))?.risk ?? 'low';

  it('seals a grid and puts its neighbours below 管控区 under control, in one delta', async () => {
    const { gridStatus } = (await env.srv.store.snapshot()).collections;
    const grid = Object.values(gridStatus).find((g) => g.risk === 'low' && env.srv.app.county.locator.neighbours(g.id).length >= 3)!;
    const neighbours = env.srv.app.county.locator.neighbours(grid.id);
    const lowBefore = [];
    for (const n of neighbours) if (['low', 'precaution', 'medium'].includes(await level(n))) lowBefore.push(n);
    const seq = await env.srv.store.seq();
    const res = await put(grid.id, { risk: 'sealed' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: GridStatus[]; seq: number };
    expect(body.seq).toBe(seq + 1);
    expect(body.data.map((g) => g.id).sort()).toEqual([grid.id, ...lowBefore].sort());
    expect(await level(grid.id)).toBe('sealed');
    for (const n of lowBefore) expect(await level(n)).toBe('controlled');
    await expect.poll(() => deltas.find((d) => d.seq === seq + 1)).toBeTruthy();
    expect(deltas.find((d) => d.seq === seq + 1)!.changes).toHaveLength(1 + lowBefore.length);

    // Lowering the grid leaves its neighbours as they are.
    expect((await put(grid.id, { risk: 'low' })).status).toBe(200);
    expect(await level(grid.id)).toBe('low');
    for (const n of lowBefore) expect(await level(n)).toBe('controlled');
    // Without the neighbours, only the grid; the same level again changes nothing.
    const other = Object.values(gridStatus).find((g) => g.risk === 'low' && !neighbours.includes(g.id) && g.id !== grid.id)!;
    expect(((await (await put(other.id, { risk: 'sealed', neighbours: false })).json()) as { data: GridStatus[] }).data).toHaveLength(1);
    const again = await put(other.id, { risk: 'sealed', neighbours: false });
    expect(((await again.json()) as { data: GridStatus[] }).data).toEqual([]);
  });

  it('refuses unknown grids and levels, changing nothing', async () => {
    const seq = await env.srv.store.seq();
    expect((await put('no-such-grid', { risk: 'sealed' })).status).toBe(404);
    expect((await put(Object.keys((await env.srv.store.snapshot()).collections.gridStatus)[0]!, { risk: 'red' })).status).toBe(400);
    expect(await env.srv.store.seq()).toBe(seq);
  });
});
