// Terminals bound on screen, end to end on two app instances sharing one real Redis (two server
// processes behind a load balancer): the bindings seeded from terminals.json, the admin routes
// (non-admins refused, compare-and-set, one vehicle per identity, a move), and an unknown JT/T 808
// terminal and an unknown OsmAnd phone that report to the second instance, are listed, are bound
// by an admin through the first, and move their ambulance with their next fix, with no restart.
import { describe, expect, it } from 'vitest';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import type { UnknownTerminal, VehicleTerminalsView } from '../../server/schema/terminals.ts';
import { Terminal } from '../helpers/jt808-terminal.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

const env = useServer({ redis: true, servers: 2, roles: ['admin', 'commander', 'dispatcher', 'wall'], config: { jt808: { port: 0 } } });

const api = async (role: string, method: string, path: string, body?: unknown, server = 0) => {
  const res = await fetch(`${env.servers[server]!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${env.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data: never; message?: string; key?: string; owner?: string } };
};
const vehicles = async () => (await api('admin', 'GET', '/api/vehicles/terminals')).body.data as { version: number; vehicles: VehicleTerminalsView[] };
const vehicle = async (id: string) => (await vehicles()).vehicles.find((v) => v.ambulanceId === id)!;
const unknown = async () => (await api('admin', 'GET', '/api/terminals/unknown')).body.data as UnknownTerminal[];

let lastAt = 0;
/** A fix time in whole seconds (as JT/T 808 carries it), each later than the one before. */
const nextAt = () => (lastAt = Math.max(lastAt + 1000, Math.floor(Date.now() / 1000) * 1000));
/** A point a few metres from the unit's fix (no jump), or the county seat. */
const near = async (id: string, step: number) => {
  const fix = (await env.srv.store.get('ambulances', id))?.fix;
  return { lng: Math.round(((fix?.lng ?? 95.78) + 0.0001 * step) * 1e6) / 1e6, lat: Math.round(((fix?.lat ?? 40.52) + 0.0001) * 1e6) / 1e6 };
};

describe('terminals bound on screen', () => {
  it('lists every vehicle with the terminals seeded from terminals.json, for admins only', async () => {
    const { vehicles: list } = await vehicles();
    expect(list).toHaveLength(17);
    expect(list.find((v) => v.ambulanceId === 'NP01')).toMatchObject({
      callSign: expect.any(String),
      onBoard: true,
      jt808: { phone: '13900000001', terminalId: 'GZ00001' },
      osmand: null,
      version: 1,
      updatedBy: 'terminals.json',
    });
    for (const role of ['commander', 'dispatcher', 'wall']) {
      expect((await api(role, 'GET', '/api/vehicles/terminals')).status, role).toBe(403);
      expect((await api(role, 'GET', '/api/terminals/unknown')).status, role).toBe(403);
      expect((await api(role, 'PUT', '/api/vehicles/NP01/terminals', { version: 1, jt808: null, osmand: null })).status, role).toBe(403);
      expect((await api(role, 'POST', '/api/terminals/unknown/bind', { kind: 'jt808', identity: '1', ambulanceId: 'NP01' })).status, role).toBe(403);
    }
  });

  it('binds with a compare-and-set, one vehicle per identity: 409 unless moved, and every process serves the move', async () => {
    const np1 = await vehicle('NP01');
    const amb1 = await vehicle('AMB01');
    // NP01's terminal asked for by AMB01: refused, naming the holder.
    const taken = await api('admin', 'PUT', '/api/vehicles/AMB01/terminals', { version: amb1.version, jt808: { phone: '013900000001', terminalId: 'GZ00001' }, osmand: null });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'conflict', owner: 'NP01' });
    expect(taken.body.message).toMatch(/已绑定到车辆 NP01.*bound to NP01/);
    // A stale version: refused.
    expect((await api('admin', 'PUT', '/api/vehicles/AMB01/terminals', { version: amb1.version + 5, jt808: null, osmand: null })).status).toBe(409);
    // Bounded, checked input.
    const bad = await api('admin', 'PUT', '/api/vehicles/AMB01/terminals', { version: amb1.version, jt808: { phone: '12ab' }, osmand: null });
    expect(bad.status).toBe(400);
    expect((await api('admin', 'PUT', '/api/vehicles/AMB01/terminals', { version: 0, jt808: { phone: '1'.repeat(21) }, osmand: null })).status).toBe(400);
    expect((await api('admin', 'PUT', '/api/vehicles/NOPE/terminals', { version: 0, jt808: { phone: '13900000555' }, osmand: null })).status).toBe(404);
    // Moved: in one step NP01 loses it and AMB01 holds it.
    const moved = await api('admin', 'PUT', '/api/vehicles/AMB01/terminals', {
      version: amb1.version,
      jt808: { phone: '013900000001', terminalId: 'GZ00001' },
      osmand: null,
      move: true,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ vehicle: { ambulanceId: 'AMB01', jt808: { phone: '013900000001' }, version: amb1.version + 1 }, moved: ['NP01'] });
    expect(await vehicle('NP01')).toMatchObject({ jt808: null, version: np1.version + 1 });
    // The other process serves the move without a restart (and says which version it serves).
    const metrics = await (await fetch(`${env.servers[1]!.url}/metrics`, { headers: { authorization: `Bearer ${env.tokens.admin}` } })).text();
    expect(metrics).toMatch(/board_terminal_bindings_version \d+/);
    await waitFor(() => env.servers[1]!.app.terminals.directory.jt808Of('13900000001')?.ambulanceId === 'AMB01' || undefined, 'the second process to serve the move');
    expect(env.servers[1]!.app.terminals.directory.jt808Of('013900000001')).toEqual({ ambulanceId: 'AMB01', terminalId: 'GZ00001' });
    // Unbound: the identity is free again.
    const unbound = await api('admin', 'DELETE', `/api/vehicles/AMB01/terminals?version=${amb1.version + 1}`);
    expect(unbound.status).toBe(200);
    await waitFor(() => env.servers[1]!.app.terminals.directory.jt808Of('13900000001') === undefined || undefined, 'the unbinding served');
    expect(
      (await api('admin', 'PUT', '/api/vehicles/NP01/terminals', { version: np1.version + 1, jt808: { phone: '013900000001', terminalId: 'GZ00001' }, osmand: null })).status,
    ).toBe(200);
  });

  it('lists an unknown JT/T 808 terminal reporting to the second process; once an admin binds it, it registers and its next fix moves the ambulance', async () => {
    const gateway = env.servers[1]!.app.jt808!;
    const phone = '013911112222';
    const t = new Terminal(gateway.port, phone);
    try {
      // Unknown: registration refused (result 4), reports refused, and listed as sent.
      expect((await t.register('NEW0001')).result).toBe(REGISTER.noSuchTerminal);
      const where = await near('AMB05', 1);
      expect(await t.ask(MSG.location, locationBody({ ...where, speed: 20, heading: 90, at: nextAt() }))).toBe(REPLY.failure);
      const listed = await waitFor(
        async () => (await unknown()).find((u) => u.identity === phone && u.lastPosition !== null),
        'the unknown terminal listed with its position',
        20_000,
      );
      expect(listed).toMatchObject({
        kind: 'jt808',
        identity: phone,
        terminalId: 'NEW0001',
        remote: '127.0.0.1',
        lastMessage: '0x0200',
        lastPosition: { lng: where.lng, lat: where.lat },
        hasKey: false,
      });
      expect(listed.messages).toBeGreaterThanOrEqual(2);
      // One action: bound to AMB05 with the identity it registered with.
      const bound = await api('admin', 'POST', '/api/terminals/unknown/bind', { kind: 'jt808', identity: phone, ambulanceId: 'AMB05' });
      expect(bound.status).toBe(200);
      expect(bound.body.data).toMatchObject({ vehicle: { ambulanceId: 'AMB05', jt808: { phone, terminalId: 'NEW0001' } } });
      expect((await unknown()).find((u) => u.identity === phone)).toBeUndefined();
      // Binding it again: it is no longer unknown.
      expect((await api('admin', 'POST', '/api/terminals/unknown/bind', { kind: 'jt808', identity: phone, ambulanceId: 'AMB06' })).status).toBe(404);
      await waitFor(() => env.servers[1]!.app.terminals.directory.jt808Of(phone)?.ambulanceId === 'AMB05' || undefined, 'the gateway process to serve the binding');
      // The terminal registers again (as a refused terminal does), authenticates and reports.
      const { result, code } = await t.register('NEW0001');
      expect(result).toBe(REGISTER.ok);
      expect(await t.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
      const there = await near('AMB05', 2);
      const at = nextAt();
      expect(await t.ask(MSG.location, locationBody({ ...there, speed: 30, heading: 45, at }))).toBe(REPLY.ok);
      expect((await env.srv.store.get('ambulances', 'AMB05'))!.fix).toMatchObject({ ...there, at });
      // Rebound to AMB06 (moved): the same connection's next report moves AMB06.
      const amb6 = await vehicle('AMB06');
      expect(
        (await api('admin', 'PUT', '/api/vehicles/AMB06/terminals', { version: amb6.version, jt808: { phone, terminalId: 'NEW0001' }, osmand: null, move: true })).body.data,
      ).toMatchObject({ moved: ['AMB05'] });
      await waitFor(() => env.servers[1]!.app.terminals.directory.jt808Of(phone)?.ambulanceId === 'AMB06' || undefined, 'the rebinding served');
      const next = await near('AMB06', 1);
      const at2 = nextAt();
      expect(await t.ask(MSG.location, locationBody({ ...next, speed: 30, heading: 45, at: at2 }))).toBe(REPLY.ok);
      expect((await env.srv.store.get('ambulances', 'AMB06'))!.fix).toMatchObject({ ...next, at: at2 });
      expect((await env.srv.store.get('ambulances', 'AMB05'))!.fix?.at).toBe(at);
    } finally {
      t.close();
    }
  }, 60_000);

  it('writes the store once per few seconds for a chatty unknown terminal, counting every message', async () => {
    const store = env.servers[1]!.store.terminals;
    const original = store.recordUnknown.bind(store);
    let writes = 0;
    store.recordUnknown = (entry, cap) => (writes++, original(entry, cap));
    const t = new Terminal(env.servers[1]!.app.jt808!.port, '013933334444');
    try {
      for (let i = 0; i < 30; i++) expect(await t.ask(MSG.heartbeat, Buffer.alloc(0))).toBe(REPLY.failure);
      expect(writes).toBe(1);
      const listed = await waitFor(async () => (await unknown()).find((u) => u.identity === '013933334444' && u.messages === 30), 'all 30 heartbeats counted', 20_000);
      expect(listed.lastMessage).toBe('0x0002');
      expect(writes).toBe(2);
    } finally {
      t.close();
      store.recordUnknown = original;
    }
  }, 30_000);

  it('lists an unknown OsmAnd phone; bound with the key it reports with, its next fix moves the ambulance; a new key replaces it', async () => {
    const osmand = (server: number, key: string, deviceId: string, where: { lng: number; lat: number }) =>
      fetch(`${env.servers[server]!.url}/osmand/${key}?id=${deviceId}&lat=${where.lat}&lon=${where.lng}&timestamp=${Math.floor(nextAt() / 1000)}&speed=10&bearing=30`);
    const first = await near('AMB07', 1);
    expect((await osmand(1, 'phone-own-key-1234', 'zhang-phone', first)).status).toBe(403);
    const listed = await waitFor(async () => (await unknown()).find((u) => u.kind === 'osmand' && u.identity === 'zhang-phone'), 'the phone listed');
    expect(listed).toMatchObject({ lastMessage: 'osmand', hasKey: true, lastPosition: { lng: first.lng, lat: first.lat } });
    expect(JSON.stringify(await unknown())).not.toMatch(/keyHash/);
    const bound = await api('admin', 'POST', '/api/terminals/unknown/bind', { kind: 'osmand', identity: 'zhang-phone', ambulanceId: 'AMB07' });
    expect(bound.body.data).toMatchObject({ vehicle: { osmand: { deviceId: 'zhang-phone', hasKey: true }, jt808: { phone: '13900000012' } } });
    expect(bound.body.key).toBeUndefined(); // its own key, adopted: nothing to show
    await waitFor(() => env.servers[1]!.app.terminals.directory.osmandOf('zhang-phone')?.ambulanceId === 'AMB07' || undefined, 'the second process serving the phone');
    const second = await near('AMB07', 2);
    const res = await osmand(1, 'phone-own-key-1234', 'zhang-phone', second);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true });
    expect((await env.srv.store.get('ambulances', 'AMB07'))!.fix).toMatchObject(second);
    expect((await osmand(1, 'some-other-key', 'zhang-phone', await near('AMB07', 3))).status).toBe(403);
    // A new key, answered once: the old one stops working on every process.
    const amb7 = await vehicle('AMB07');
    const renewed = await api('admin', 'PUT', '/api/vehicles/AMB07/terminals', { version: amb7.version, jt808: amb7.jt808, osmand: { deviceId: 'zhang-phone', key: 'new' } });
    expect(renewed.body.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await waitFor(() => env.servers[1]!.app.terminals.directory.version === env.servers[0]!.app.terminals.directory.version || undefined, 'both processes on one version');
    expect((await osmand(1, 'phone-own-key-1234', 'zhang-phone', await near('AMB07', 3))).status).toBe(403);
    expect((await osmand(1, renewed.body.key!, 'zhang-phone', await near('AMB07', 3))).status).toBe(200);
    // 'keep' on a later edit keeps that key.
    const again = await vehicle('AMB07');
    expect(
      (await api('admin', 'PUT', '/api/vehicles/AMB07/terminals', { version: again.version, jt808: null, osmand: { deviceId: 'zhang-phone', key: 'keep' } })).body.data,
    ).toMatchObject({ vehicle: { jt808: null, osmand: { hasKey: true } } });
    await waitFor(() => env.servers[1]!.app.terminals.directory.version === env.servers[0]!.app.terminals.directory.version || undefined, 'both processes on one version');
    expect((await osmand(1, renewed.body.key!, 'zhang-phone', await near('AMB07', 4))).status).toBe(200);
  }, 60_000);
});
