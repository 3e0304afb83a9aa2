// The OsmAnd protocol as Traccar Client sends it: query parameters, form posts and the
// JSON of Traccar Client 9, mapped to ambulances by terminal id, through the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOsmand } from '../../server/ingest/osmand.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);

describe('OsmAnd parsing', () => {
  it('reads query parameters: seconds, knots, bearing, validity', () => {
    expect(parseOsmand({ id: '013900000004', lat: '40.52', lon: '95.78', timestamp: String(NOW / 1000), speed: '10', bearing: '370', valid: 'false' }, undefined, NOW)).toEqual({
      deviceId: '013900000004',
      lat: 40.52,
      lng: 95.78,
      at: NOW,
      speed: 18.52,
      heading: 10,
      located: false,
    });
  });
  it('reads the JSON of Traccar Client 9: ISO time, m/s', () => {
    const body = { device_id: '013900000004', location: { timestamp: new Date(NOW).toISOString(), coords: { latitude: 40.5, longitude: 95.7, speed: 10, heading: 90 } } };
    expect(parseOsmand({}, body, NOW)).toMatchObject({ deviceId: '013900000004', lat: 40.5, lng: 95.7, at: NOW, speed: 36, heading: 90, located: true });
  });
  it('says what is missing', () => {
    expect(parseOsmand({ lat: '1', lon: '2' }, undefined, NOW)).toEqual({ error: 'id missing' });
    expect(parseOsmand({ id: 'x', lat: 'north' }, undefined, NOW)).toEqual({ error: 'lat and lon needed' });
    expect(parseOsmand({ id: 'x', lat: '1', lon: '2', timestamp: 'yesterday' }, undefined, NOW)).toEqual({ error: 'timestamp not understood' });
  });
});

describe('/osmand', () => {
  let now = NOW;
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ clock: () => now });
  });
  afterAll(() => srv?.close());

  it('moves the ambulance of a known device, from a query, a form and JSON', async () => {
    now += 10_000;
    let res = await fetch(`${srv.url}/osmand?id=013900000004&lat=40.5212&lon=95.7801&timestamp=${now / 1000}&speed=5`);
    expect(await res.json()).toEqual({ ok: true, accepted: true, verdict: 'ok' });
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toMatchObject({ lat: 40.5212, lng: 95.7801, at: now });
    now += 10_000;
    res = await fetch(`${srv.url}/osmand`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=013900000004&lat=40.5213&lon=95.7802&timestamp=${now / 1000}` });
    expect(res.status).toBe(200);
    now += 10_000;
    res = await fetch(`${srv.url}/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: '013900000004', location: { timestamp: new Date(now).toISOString(), coords: { latitude: 40.5214, longitude: 95.7803, speed: 2, heading: 45 } } }),
    });
    expect(res.status).toBe(200);
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toMatchObject({ lat: 40.5214, lng: 95.7803, speed: 7.2, heading: 45, at: now });
  });

  it('refuses unknown devices and bad requests; acknowledges but drops a filtered fix', async () => {
    expect((await fetch(`${srv.url}/osmand?id=999&lat=40&lon=95`)).status).toBe(404);
    expect((await fetch(`${srv.url}/osmand?lat=40&lon=95`)).status).toBe(400);
    now += 1000;
    const jump = await fetch(`${srv.url}/osmand?id=013900000004&lat=41.5&lon=96.9&timestamp=${now / 1000}`);
    expect(await jump.json()).toEqual({ ok: true, accepted: false, verdict: 'jump' });
    expect(srv.app.osmandCounters.refused.jump).toBe(1);
    expect(srv.app.osmandCounters.unknownDevice).toBe(1);
  });
});
