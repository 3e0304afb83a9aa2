// The audit log on a real Redis: every audited write route, called once the way its users
// call it, leaves exactly one entry with who, from where, what, and the entity before and
// after; a sign-in leaves one (password never recorded); refused requests and position
// telemetry leave none. Admins browse it page by page and export it as CSV; no one else.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/plugins/audit.ts';
import { DEMO_PASSWORD, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

type Entry = AuditEntry & { id: string };
const SEAT = [95.78, 40.52];
const call = { symptoms: true, history: { travel: true, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };

describe('the audit log', () => {
  const env = useServer({ redis: true, roles: ['admin', 'commander', 'dispatcher', 'field'] });
  const { tokens } = env;
  let srv: TestServer;
  beforeAll(async () => {
    srv = env.srv;
    await srv.app.alerts.evaluate();
  });

  const request = async (role: string | null, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as { data: { id: string } } };
  };
  const entries = async () => (await srv.store.auditPage(1000)).map(({ id, json }) => ({ id, ...(JSON.parse(json) as AuditEntry) }) as Entry);

  it('records exactly one entry per audited write route, with before and after', async () => {
    const snap = (await srv.store.snapshot()).collections;
    const point = Object.keys(snap.samplingPoints)[0]!;
    const hotel = Object.keys(snap.hotels)[0]!;
    const hospital = Object.keys(snap.hospitals)[0]!;
    const unit = Object.values(snap.ambulances).find((a) => a.taskId === null && a.status === 'available')!.id;
    const [alertA, alertB] = Object.keys(snap.alerts);
    let transferId = '';
    let batchId = '';
    let roundId = '';
    let importId = '';
    let roadImportId = '';
    let townImportId = '';
    let gridImportId = '';
    let moveId = '';
    const upload = (csv: string) =>
      fetch(`${srv.url}/api/imports?layer=hotels&crs=wgs84`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' }, body: csv }).then(
        async (res) => ({
          status: res.status,
          body: (await res.json()) as { data: { id: string } },
        }),
      );
    const grid = srv.app.county.grids.features[0]!.properties.id;
    // Every audited write route, as its users call it.
    const steps: [string, string, () => Promise<{ status: number; body: { data: { id: string } } }>][] = [
      ['commander', 'PATCH /api/sampling-points/:id', () => request('commander', 'PATCH', `/api/sampling-points/${point}`, { queue: 77 })],
      [
        'commander',
        'POST /api/sampling-points/:id/ops',
        () => request('commander', 'POST', `/api/sampling-points/${point}/ops`, { opId: randomUUID(), op: { kind: 'queue-add', delta: 3 } }),
      ],
      ['commander', 'PATCH /api/hotels/:id', () => request('commander', 'PATCH', `/api/hotels/${hotel}`, { people: 12 })],
      [
        'commander',
        'PUT /api/grids/:id/risk',
        () => request('commander', 'PUT', `/api/grids/${Object.values(snap.gridStatus).find((g) => g.risk === 'low')!.id}/risk`, { risk: 'sealed' }),
      ],
      ['dispatcher', 'PATCH /api/hospitals/:id', () => request('dispatcher', 'PATCH', `/api/hospitals/${hospital}`, { maxCapacity: 99 })],
      ['dispatcher', 'PATCH /api/ambulances/:id/status', () => request('dispatcher', 'PATCH', `/api/ambulances/${unit}/status`, { status: 'offline' })],
      [
        'dispatcher',
        'POST /api/transfers',
        async () => {
          const res = await request('dispatcher', 'POST', '/api/transfers', { call, pickup: { location: SEAT }, patient: '张三' });
          transferId = res.body.data.id;
          return res;
        },
      ],
      ['dispatcher', 'POST /api/transfers/:id/steps', () => request('dispatcher', 'POST', `/api/transfers/${transferId}/steps`, { to: 'cancelled', note: '患者自行就医' })],
      ['commander', 'POST /api/alerts/:id/ack', () => request('commander', 'POST', `/api/alerts/${alertA}/ack`)],
      ['commander', 'POST /api/alerts/:id/resolve', () => request('commander', 'POST', `/api/alerts/${alertB}/resolve`, { reason: '已处置' })],
      ['commander', 'POST /api/reports', () => request('commander', 'POST', '/api/reports')],
      [
        'commander',
        'POST /api/sample-batches',
        async () => {
          const res = await request('commander', 'POST', '/api/sample-batches', { source: '县医院发热门诊', category: 'fever-emergency', samples: 5 });
          batchId = res.body.data.id;
          return res;
        },
      ],
      ['commander', 'POST /api/sample-batches/:id/result', () => request('commander', 'POST', `/api/sample-batches/${batchId}/result`, {})],
      [
        'commander',
        'POST /api/testing-rounds',
        async () => {
          const res = await request('commander', 'POST', '/api/testing-rounds', { grids: [grid], deadlineDays: 7 });
          roundId = res.body.data.id;
          return res;
        },
      ],
      [
        'commander',
        'POST /api/round-grids/:id/ops',
        () => request('commander', 'POST', `/api/round-grids/${roundId}.${grid}/ops`, { opId: randomUUID(), op: { kind: 'add', count: 12 } }),
      ],
      ['commander', 'POST /api/testing-rounds/:id/end', () => request('commander', 'POST', `/api/testing-rounds/${roundId}/end`, {})],
      ['admin', 'POST /api/accounts', () => request('admin', 'POST', '/api/accounts', { username: 'lead-2', role: 'field', password: 'first-password', samplingPoints: [point] })],
      ['admin', 'PATCH /api/accounts/:username', () => request('admin', 'PATCH', '/api/accounts/lead-2', { disabled: true })],
      ['admin', 'POST /api/accounts/:username/password', () => request('admin', 'POST', '/api/accounts/lead-2/password', { password: 'second-password' })],
      ['admin', 'POST /api/accounts/:username/revoke', () => request('admin', 'POST', '/api/accounts/lead-2/revoke')],
      [
        'admin',
        'POST /api/imports',
        async () => {
          const res = await upload('编号,名称,经度,纬度,房间数\nAUD-H1,审计酒店,95.79,40.52,30\n');
          importId = res.body.data.id;
          return res;
        },
      ],
      ['admin', 'POST /api/imports/:id/commit', () => request('admin', 'POST', `/api/imports/${importId}/commit`)],
      [
        'admin',
        'DELETE /api/imports/:id',
        async () => {
          // A second import to cancel, uploaded past the API (so that it leaves no entry of its own).
          const pending = await srv.app.imports.upload(
            new TextEncoder().encode('编号,名称,经度,纬度,房间数\nAUD-H2,酒店,95.79,40.52,30\n'),
            { layer: 'hotels', crs: 'wgs84' },
            'admin',
          );
          return request('admin', 'DELETE', `/api/imports/${pending.ok ? pending.value.id : ''}`);
        },
      ],
      [
        'admin',
        'POST /api/imports/grids',
        async () => {
          // The county's own grids, unchanged: a grid import that commits without changing anything live.
          const res = await fetch(`${srv.url}/api/imports/grids`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/geo+json' },
            body: srv.app.gridLayers.current.gridsJson,
          });
          const body = (await res.json()) as { data: { id: string } };
          gridImportId = body.data.id;
          return { status: res.status, body };
        },
      ],
      ['admin', 'POST /api/imports/grids/:id/commit', () => request('admin', 'POST', `/api/imports/grids/${gridImportId}/commit`)],
      [
        'admin',
        'DELETE /api/imports/grids/:id',
        async () => {
          const pending = await srv.app.gridImports.upload(new TextEncoder().encode(srv.app.gridLayers.current.gridsJson), { crs: 'wgs84' }, 'admin');
          return request('admin', 'DELETE', `/api/imports/grids/${pending.ok ? pending.value.id : ''}`);
        },
      ],
      [
        'admin',
        'POST /api/imports/roads',
        async () => {
          const roads = JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { class: 'county' },
                geometry: {
                  type: 'LineString',
                  coordinates: [
                    [95.7, 40.5],
                    [95.8, 40.5],
                  ],
                },
              },
            ],
          });
          const res = await fetch(`${srv.url}/api/imports/roads`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/geo+json' },
            body: roads,
          });
          const body = (await res.json()) as { data: { id: string } };
          roadImportId = body.data.id;
          return { status: res.status, body };
        },
      ],
      ['admin', 'POST /api/imports/roads/:id/commit', () => request('admin', 'POST', `/api/imports/roads/${roadImportId}/commit`)],
      [
        'admin',
        'DELETE /api/imports/roads/:id',
        async () => {
          const pending = await srv.app.roadImports.upload(new TextEncoder().encode(JSON.stringify(srv.app.roadLayers.current.roads)), { crs: 'wgs84' }, 'admin');
          return request('admin', 'DELETE', `/api/imports/roads/${pending.ok ? pending.value.id : ''}`);
        },
      ],
      [
        'admin',
        'POST /api/imports/towns',
        async () => {
          // The county's own towns and villages: a town import that renames nothing.
          const res = await fetch(`${srv.url}/api/imports/towns`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' },
            body: readFileSync('test/fixtures/towns/guazhou.csv'),
          });
          const body = (await res.json()) as { data: { id: string } };
          townImportId = body.data.id;
          return { status: res.status, body };
        },
      ],
      ['admin', 'POST /api/imports/towns/:id/commit', () => request('admin', 'POST', `/api/imports/towns/${townImportId}/commit`)],
      [
        'admin',
        'DELETE /api/imports/towns/:id',
        async () => {
          const pending = await srv.app.townImports.upload(readFileSync('test/fixtures/towns/guazhou.csv'), { crs: 'wgs84' }, 'admin');
          return request('admin', 'DELETE', `/api/imports/towns/${pending.ok ? pending.value.id : ''}`);
        },
      ],
      [
        'dispatcher',
        'POST /api/coverage/moves',
        async () => {
          const suggested = (await request('dispatcher', 'GET', '/api/coverage')).body as unknown as { data: { suggestions: { ambulanceId: string; pointId: string }[] } };
          const [first] = suggested.data.suggestions;
          const res = await request('dispatcher', 'POST', '/api/coverage/moves', { ambulanceId: first?.ambulanceId, pointId: first?.pointId });
          moveId = res.body.data.id;
          return res;
        },
      ],
      ['dispatcher', 'POST /api/coverage/moves/:id/end', () => request('dispatcher', 'POST', `/api/coverage/moves/${moveId}/end`, { status: 'cancelled' })],
      [
        'admin',
        'PUT /api/vehicles/:id/terminals',
        async () => {
          const version = (await srv.store.terminals.bindingSet()).vehicles.get('NP01')?.version ?? 0;
          return request('admin', 'PUT', '/api/vehicles/NP01/terminals', { version, jt808: { phone: '13900000077', terminalId: 'AUD0001' }, osmand: null });
        },
      ],
      [
        'admin',
        'DELETE /api/vehicles/:id/terminals',
        async () => {
          const version = (await srv.store.terminals.bindingSet()).vehicles.get('NP01')!.version;
          return request('admin', 'DELETE', `/api/vehicles/NP01/terminals?version=${version}`);
        },
      ],
      [
        'admin',
        'POST /api/terminals/unknown/bind',
        async () => {
          // A phone that reported unbound (recorded past the API: a sighting leaves no entry of its own).
          await srv.store.terminals.recordUnknown(
            {
              kind: 'osmand',
              identity: 'aud-phone',
              firstSeen: 1,
              lastSeen: 1,
              remote: '10.0.0.9',
              messages: 1,
              lastMessage: 'osmand',
              lastPosition: null,
              terminalId: null,
              plate: null,
              hasKey: true,
              keyHash: 'b'.repeat(64),
            },
            200,
          );
          return request('admin', 'POST', '/api/terminals/unknown/bind', { kind: 'osmand', identity: 'aud-phone', ambulanceId: 'NP02' });
        },
      ],
      ['field', 'POST /api/auth/logout', () => request('field', 'POST', '/api/auth/logout')],
    ];
    // The table covers every write route the app has, but for telemetry, recommendations and sign-in (below).
    const exempt = new Set([
      'POST /api/ambulances/positions',
      'POST /api/ambulances/:id/position',
      'POST /api/dispatch/recommend',
      'POST /api/auth/login',
      'GET /osmand',
      'POST /osmand',
      'GET /osmand/:key',
      'POST /osmand/:key',
    ]);
    const writes = srv.app.routeRules.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
    expect(writes.filter((w) => !exempt.has(w)).sort()).toEqual(steps.map(([, name]) => name).sort());

    for (const [user, name, run] of steps) {
      const before = (await entries()).length;
      const res = await run();
      expect(res.status, name).toBeLessThan(300);
      const after = await entries();
      expect(after.length, name).toBe(before + 1);
      const entry = after[0]!;
      expect(`${entry.method} ${entry.route}`).toBe(name);
      expect(entry).toMatchObject({ user, status: res.status, ip: '127.0.0.1' });
      if (/:id/.test(name) && name !== 'POST /api/auth/logout') {
        expect(entry.subject?.id, name).toBeTruthy();
        expect(entry.before, name).not.toBeNull();
        expect(entry.after, name).not.toEqual(entry.before);
      }
    }
    const all = await entries();
    const patch = all.find((e) => e.route === '/api/sampling-points/:id')!;
    expect((patch.after as { queue: number }).queue).toBe(77);
    expect(patch.body).toEqual({ queue: 77 });
    expect(all.find((e) => e.route === '/api/transfers')!.subject).toEqual({ collection: 'transfers', id: transferId });
    // Accounts: subject and before/after as admins see them; never a password or its hash.
    const disabled = all.find((e) => e.route === '/api/accounts/:username')!;
    expect(disabled.subject).toEqual({ collection: 'accounts', id: 'lead-2' });
    expect(disabled.before).toMatchObject({ username: 'lead-2', disabled: false, samplingPoints: [point] });
    expect(disabled.after).toMatchObject({ disabled: true });
    // Imports: the file by its size, the report without its rows.
    const upload1 = all.find((e) => e.route === '/api/imports')!;
    expect(upload1).toMatchObject({
      subject: { collection: 'imports', id: importId },
      body: { file: expect.stringMatching(/^\d+ bytes$/) },
      after: { status: 'pending', summary: { good: 1 } },
    });
    expect(upload1.after).not.toHaveProperty('rows');
    expect(all.find((e) => e.route === '/api/imports/:id/commit')).toMatchObject({ before: { status: 'pending' }, after: { status: 'committed' } });
    // Terminal bindings: the vehicle's terminals before and after, the vehicles an identity moved from; never a key or its hash.
    const bound = all.find((e) => e.route === '/api/vehicles/:id/terminals' && e.method === 'PUT')!;
    expect(bound).toMatchObject({
      subject: { collection: 'vehicle-terminals', id: 'NP01' },
      before: { jt808: { phone: '13900000001' } },
      after: { vehicle: { jt808: { phone: '13900000077', terminalId: 'AUD0001' } }, moved: [] },
    });
    expect(all.find((e) => e.route === '/api/vehicles/:id/terminals' && e.method === 'DELETE')).toMatchObject({
      before: { jt808: { phone: '13900000077' } },
      after: { vehicle: { jt808: null, osmand: null } },
    });
    const adopted = all.find((e) => e.route === '/api/terminals/unknown/bind')!;
    expect(adopted).toMatchObject({
      subject: { collection: 'vehicle-terminals', id: 'NP02' },
      before: { osmand: null },
      after: { vehicle: { osmand: { deviceId: 'aud-phone', hasKey: true } } },
    });
    expect(JSON.stringify(all.filter((e) => e.subject?.collection === 'vehicle-terminals'))).not.toContain('b'.repeat(64));
    const accountEntries = all.filter((e) => e.route.startsWith('/api/accounts'));
    expect(accountEntries).toHaveLength(4);
    expect(JSON.stringify(accountEntries)).not.toMatch(/first-password|second-password|passwordHash|salt/);
  });

  it('records sign-in attempts without the password, and nothing for refused or telemetry requests', async () => {
    const before = (await entries()).length;
    expect((await request(null, 'POST', '/api/auth/login', { username: 'wall', password: 'wrong-password' })).status).toBe(401);
    expect((await request(null, 'POST', '/api/auth/login', { username: 'wall', password: DEMO_PASSWORD })).status).toBe(200);
    const two = (await entries()).slice(0, 2);
    expect(two.map((e) => e.status)).toEqual([200, 401]);
    expect(two[0]).toMatchObject({ user: 'wall', route: '/api/auth/login', body: { username: 'wall', password: '***' } });
    expect(JSON.stringify(two)).not.toContain(DEMO_PASSWORD);
    // Refused (403, 400) and telemetry leave nothing.
    expect((await request('dispatcher', 'PATCH', '/api/hotels/X', { people: 1 })).status).toBe(403);
    expect((await request('commander', 'PATCH', '/api/hotels/X', { people: -1 })).status).toBe(400);
    const unit = Object.values((await srv.store.snapshot()).collections.ambulances)[0]!;
    expect((await request('dispatcher', 'POST', `/api/ambulances/${unit.id}/position`, { lng: SEAT[0], lat: SEAT[1], speed: 0, heading: 0 })).status).toBe(200);
    expect((await entries()).length).toBe(before + 2);
  });

  it('is browsed page by page and exported by admins only', async () => {
    const total = (await entries()).length;
    const first = await request('admin', 'GET', '/api/audit?limit=5');
    const page1 = first.body as unknown as { data: Entry[]; next: string };
    expect(page1.data).toHaveLength(5);
    const page2 = (await request('admin', 'GET', `/api/audit?limit=5&before=${page1.next}`)).body as unknown as { data: Entry[] };
    // Two pages are the ten newest entries, in order, none twice.
    expect([...page1.data, ...page2.data].map((e) => e.id)).toEqual((await entries()).slice(0, 10).map((e) => e.id));
    expect((await request('commander', 'GET', '/api/audit')).status).toBe(403);
    const csv = await fetch(`${srv.url}/api/audit/export`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('时间,用户,角色,来源地址,方法,路由,状态,对象,变更前,变更后,请求内容');
    expect(lines.length).toBe(1 + total); // reading the log (the GETs above, the export) is not itself a change
  });

  it('leaves out an entry that does not read as one, and pages on past it', async () => {
    const at = Date.now();
    await srv.store.appendAudit('{"at":"not a time"}', at, 86_400_000);
    await srv.store.appendAudit('not json', at, 86_400_000);
    const stored = await srv.store.auditPage(3);
    const page = (await request('admin', 'GET', '/api/audit?limit=3')).body as unknown as { data: Entry[]; next: string | null };
    // The page holds the one good entry of the three newest, and still offers the next page.
    expect(page.data.map((e) => e.id)).toEqual([stored[2]!.id]);
    expect(page.next).toBe(stored[2]!.id);
    const rest = (await request('admin', 'GET', `/api/audit?limit=5&before=${page.next}`)).body as unknown as { data: Entry[] };
    expect(rest.data).toHaveLength(5);
  });
});
