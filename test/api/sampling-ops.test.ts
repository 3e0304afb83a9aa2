// A field lead's taps on a real Redis and the embedded store: each operation applied
// exactly once however often it is retried (and concurrently), increments that never
// overwrite each other, only the lead's own points, and clear 400s.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

for (const kind of ['redis', 'memory'] as const) {
  describe(`sampling-point operations (${kind} store)`, () => {
    const env = useServer({ redis: kind === 'redis' });
    let srv: TestServer;
    let field: string;
    let own: string[];
    let other: string;

    beforeAll(async () => {
      srv = env.srv;
      const res = await fetch(`${srv.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'field', password: 'epi-board-demo' }),
      });
      const body = (await res.json()) as { token: string; user: { samplingPoints: string[] } };
      field = body.token;
      own = body.user.samplingPoints;
      const all = Object.keys((await srv.store.snapshot()).collections.samplingPoints);
      other = all.find((id) => !own.includes(id))!;
    });

    const op = (token: string, id: string, body: unknown) =>
      fetch(`${srv.url}/api/sampling-points/${id}/ops`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const queueOf = async (id: string) => (await srv.store.get('samplingPoints', id))!.queue;

    it('gives the demo field lead the county seat’s points', () => {
      expect(own.length).toBeGreaterThan(5);
      expect(own.every((id) => srv.app.county.locator.locate(...srv.app.county.seed.samplingPoints.find((p) => p.id === id)!.location)?.townName === '渊泉镇')).toBe(true);
    });

    it('applies each tap once, however often and however concurrently it is sent', async () => {
      const id = own[0]!;
      const start = await queueOf(id);
      const tap = { opId: randomUUID(), op: { kind: 'queue-add', delta: 5 } };
      const answers = await Promise.all(Array.from({ length: 6 }, () => op(field, id, tap)));
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const bodies = (await Promise.all(answers.map((r) => r.json()))) as { duplicate?: boolean; data: { queue: number } }[];
      expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
      expect(bodies.every((b) => b.data.queue === start + 5)).toBe(true);
      expect(await queueOf(id)).toBe(start + 5);
    });

    it('adds to the server’s value, so two tablets never overwrite each other', async () => {
      const id = own[1]!;
      const start = await queueOf(id);
      const taps = Array.from({ length: 20 }, (_, i) => op(field, id, { opId: randomUUID(), op: { kind: 'queue-add', delta: i % 2 ? 1 : -1 } }));
      await Promise.all(taps);
      expect(await queueOf(id)).toBe(start); // ten +1 and ten −1
      await op(field, id, { opId: randomUUID(), op: { kind: 'queue-set', value: 3 } });
      await op(field, id, { opId: randomUUID(), op: { kind: 'queue-add', delta: -10 } });
      expect(await queueOf(id)).toBe(0); // never below zero
      await op(field, id, { opId: randomUUID(), op: { kind: 'status', status: 'paused' } });
      await op(field, id, { opId: randomUUID(), op: { kind: 'desks', value: 4 } });
      await op(field, id, { opId: randomUUID(), op: { kind: 'stock-low', value: true } });
      expect(await srv.store.get('samplingPoints', id)).toMatchObject({ status: 'paused', desks: 4, stockLow: true });
    });

    it('lets a field lead change only their own points; a commander any', async () => {
      const before = await queueOf(other);
      const refused = await op(field, other, { opId: randomUUID(), op: { kind: 'queue-add', delta: 1 } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toMatch(/不属于您负责/);
      const patch = await fetch(`${srv.url}/api/sampling-points/${other}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${field}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queue: 1 }),
      });
      expect(patch.status).toBe(403);
      expect(await queueOf(other)).toBe(before);
      const commander = await login(srv.url, 'commander');
      expect((await op(commander, other, { opId: randomUUID(), op: { kind: 'queue-add', delta: 1 } })).status).toBe(200);
    });

    it('refuses malformed taps with 400 and changes nothing', async () => {
      const id = own[2]!;
      const before = await queueOf(id);
      for (const body of [
        { opId: 'not-a-uuid', op: { kind: 'queue-add', delta: 1 } },
        { opId: randomUUID(), op: { kind: 'queue-add', delta: 1.5 } },
        { opId: randomUUID(), op: { kind: 'queue-set', value: -1 } },
        { opId: randomUUID(), op: { kind: 'explode' } },
        { opId: randomUUID() },
      ]) {
        expect((await op(field, id, body)).status).toBe(400);
      }
      expect(await queueOf(id)).toBe(before);
    });
  });
}
