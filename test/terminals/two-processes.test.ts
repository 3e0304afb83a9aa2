// Terminals bound on screen across two real server processes (`tsx server/main.ts`, as production
// runs them) on one Redis, each with its own JT/T 808 port: an unknown terminal reports to process
// B, an admin binds it through process A's API, and the terminal's next registration and fix on B
// move the ambulance; neither process restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import { Terminal } from '../helpers/jt808-terminal.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';
import { DEMO_PASSWORD, login } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const PHONE = '013977778888';

describe('terminals bound on screen, two server processes', () => {
  let redis: TestRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let bPort: number;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, DEMO_PASSWORD, ALERT_INTERVAL_SECONDS: '3600' };
    const [aPort, port] = [await freePort(), await freePort()];
    bPort = port;
    // One after the other: the first seeds the store (accounts, county, terminal bindings).
    a = await startServerProcess({ ...env, JT808_PORT: String(aPort) }, { readyMs: 90_000 });
    b = await startServerProcess({ ...env, JT808_PORT: String(bPort) }, { readyMs: 90_000 });
    store = new RedisStore({ url: redis.url, prefix: redis.prefix });
  }, 200_000);
  afterAll(async () => {
    await store?.close();
    await a?.stop();
    await b?.stop();
    await redis?.stop();
  });

  it('binds on one process what reports to the other, and the next fix moves the ambulance', async () => {
    const token = await login(a.url, 'admin');
    const fix = (await store.get('ambulances', 'AMB11'))!.fix!;
    let t = new Terminal(bPort, PHONE);
    try {
      expect((await t.register('TWO0001')).result).toBe(REGISTER.noSuchTerminal);
      const listed = await waitFor(async () => {
        const res = await fetch(`${a.url}/api/terminals/unknown`, { headers: { authorization: `Bearer ${token}` } });
        return ((await res.json()) as { data: { identity: string; terminalId: string | null }[] }).data.find((u) => u.identity === PHONE);
      }, 'the terminal listed on the other process');
      expect(listed.terminalId).toBe('TWO0001');
      const bound = await fetch(`${a.url}/api/terminals/unknown/bind`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'jt808', identity: PHONE, ambulanceId: 'AMB11' }),
      });
      expect(bound.status).toBe(200);
      // B learns of it from the store's notice: the terminal's next registration (a new connection, as it retries) is accepted there.
      t.close();
      const { result, code } = await waitFor(
        async () => {
          t = new Terminal(bPort, PHONE);
          const reg = await t.register('TWO0001');
          if (reg.result !== REGISTER.ok) t.close();
          return reg.result === REGISTER.ok ? reg : undefined;
        },
        'process B to accept the registration',
        10_000,
        200,
      );
      expect(result).toBe(REGISTER.ok);
      expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
      // Two seconds or more after the seeded fix (which may fall in this very second): sooner, 25 m is a jump.
      const next = {
        lng: Math.round((fix.lng + 0.0003) * 1e6) / 1e6,
        lat: Math.round(fix.lat * 1e6) / 1e6,
        at: Math.max(Math.floor(Date.now() / 1000) * 1000, Math.ceil(fix.at / 1000) * 1000 + 2000),
      };
      expect(await t.ask(MSG.location, locationBody({ ...next, speed: 25, heading: 10 }))).toBe(REPLY.ok);
      await waitFor(async () => ((await store.get('ambulances', 'AMB11'))?.fix?.at === next.at ? true : undefined), 'AMB11 moved');
      expect((await store.get('ambulances', 'AMB11'))!.fix).toMatchObject(next);
    } finally {
      t.close();
    }
  }, 60_000);
});
