// The OsmAnd protocol as Traccar Client sends it: query parameters, form posts and the
// JSON of Traccar Client 9, mapped to ambulances by terminal id, each device with its own
// key (in the path or a key= parameter), through the filter.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOsmand } from '../../server/ingest/osmand.ts';
import { sampleCounty, startTestServer, type TestServer } from '../helpers/server.ts';

const KEY = 'np04-device-key-for-tests-0123';
const OTHER_KEY = 'np05-device-key-for-tests-0123';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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
  it('reads location=lat,lon in place of lat and lon, from a query and a form', () => {
    expect(parseOsmand({ id: 'x', location: '40.52,95.78' }, undefined, NOW)).toMatchObject({ lat: 40.52, lng: 95.78 });
    expect(parseOsmand({}, { id: 'x', location: '40.53,95.79', timestamp: String(NOW / 1000) }, NOW)).toMatchObject({ lat: 40.53, lng: 95.79, at: NOW });
    expect(parseOsmand({ id: 'x', location: 'north,east' }, undefined, NOW)).toEqual({ error: 'lat and lon needed' });
  });
  it('takes a heading of -1, or none, as unknown (not 359°)', () => {
    const body = (heading?: number) => ({
      device_id: 'x',
      location: { timestamp: new Date(NOW).toISOString(), coords: { latitude: 40.5, longitude: 95.7, speed: 1, ...(heading === undefined ? {} : { heading }) } },
    });
    expect(parseOsmand({}, body(-1), NOW)).toMatchObject({ heading: null });
    expect(parseOsmand({}, body(), NOW)).toMatchObject({ heading: null });
    expect(parseOsmand({}, body(0), NOW)).toMatchObject({ heading: 0 });
    expect(parseOsmand({ id: 'x', lat: '1', lon: '2' }, undefined, NOW)).toMatchObject({ heading: null });
  });
  it('knows a request without a position (cell or Wi-Fi only) as one', () => {
    expect(parseOsmand({ id: 'x', timestamp: String(NOW / 1000), batt: '80' }, undefined, NOW)).toEqual({ deviceId: 'x', noPosition: true });
    expect(parseOsmand({}, { device_id: 'x', location: { timestamp: new Date(NOW).toISOString(), coords: {} } }, NOW)).toEqual({ deviceId: 'x', noPosition: true });
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
    // The sample county with keys for two of its phones (the sample's terminals have none).
    const county = await sampleCounty();
    const terminals = new Map(county.terminals);
    terminals.set('13900000004', { ...terminals.get('13900000004')!, osmandKeyHash: sha256(KEY) });
    terminals.set('13900000005', { ...terminals.get('13900000005')!, osmandKeyHash: sha256(OTHER_KEY) });
    // OsmAnd ids are matched exactly, as terminals.json writes them (here: the phone, leading zero kept).
    const osmandDevices = new Map([
      ['013900000004', terminals.get('13900000004')!],
      ['013900000005', terminals.get('13900000005')!],
    ]);
    srv = await startTestServer({ clock: () => now, county: { ...county, terminals, osmandDevices } });
  });
  afterAll(() => srv?.close());

  it('moves the ambulance of a known device with its key, from a query, a form and JSON', async () => {
    now += 10_000;
    let res = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&lat=40.5212&lon=95.7801&timestamp=${now / 1000}&speed=5`);
    expect(await res.json()).toEqual({ ok: true, accepted: true, verdict: 'ok' });
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toMatchObject({ lat: 40.5212, lng: 95.7801, at: now });
    now += 10_000;
    res = await fetch(`${srv.url}/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${KEY}&id=013900000004&lat=40.5213&lon=95.7802&timestamp=${now / 1000}`,
    });
    expect(res.status).toBe(200);
    now += 10_000;
    res = await fetch(`${srv.url}/osmand?key=${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: '013900000004',
        location: { timestamp: new Date(now).toISOString(), coords: { latitude: 40.5214, longitude: 95.7803, speed: 2, heading: 45 } },
      }),
    });
    expect(res.status).toBe(200);
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toMatchObject({ lat: 40.5214, lng: 95.7803, speed: 7.2, heading: 45, at: now });
  });

  it("refuses a device without its key (401), with a wrong or another device's key (403, as an unknown device), and moves nothing", async () => {
    const before = (await srv.store.get('ambulances', 'NP04'))?.fix;
    now += 10_000;
    const fix = `id=013900000004&lat=40.5215&lon=95.7804&timestamp=${now / 1000}`;
    const missing = await fetch(`${srv.url}/osmand?${fix}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'unauthorized' });
    const answers = [];
    for (const url of [
      `/osmand/wrong-key?${fix}`,
      `/osmand?key=${OTHER_KEY}&${fix}`,
      `/osmand/${KEY}?id=013999999999&lat=40.5215&lon=95.7804`,
      `/osmand/${KEY}?id=013900000006&lat=40.5215&lon=95.7804`,
    ]) {
      const res = await fetch(`${srv.url}${url}`);
      answers.push({ status: res.status, body: await res.text() });
    }
    // A wrong key, another device's key, an unknown device and a device without a key: one answer.
    expect(answers[0]!.status).toBe(403);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ error: 'forbidden' });
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toEqual(before);
  });

  it('does not let a fix from the future hold the unit: refused, and the next genuine fix moves it', async () => {
    now += 10_000;
    for (const ahead of [50_000, 3_600_000]) {
      const res = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&lat=40.5216&lon=95.7805&timestamp=${(now + ahead) / 1000}`);
      expect(await res.json()).toEqual({ ok: true, accepted: false, verdict: 'future' });
    }
    now += 1000;
    const res = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&lat=40.5217&lon=95.7806&timestamp=${now / 1000}`);
    expect(await res.json()).toEqual({ ok: true, accepted: true, verdict: 'ok' });
    expect((await srv.store.get('ambulances', 'NP04'))?.fix).toMatchObject({ lat: 40.5217, lng: 95.7806, at: now });
  });

  it('matches an OsmAnd id exactly: its leading zero is not stripped to meet a JT/T 808 phone', async () => {
    now += 10_000;
    const stripped = await fetch(`${srv.url}/osmand/${KEY}?id=13900000004&lat=40.5214&lon=95.7801&timestamp=${now / 1000}`);
    expect(stripped.status).toBe(403);
    const exact = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&lat=40.5214&lon=95.7801&timestamp=${now / 1000}`);
    expect(await exact.json()).toMatchObject({ accepted: true });
  });

  it('answers 200 to a request with no position and counts it; keeps the last heading when the new one is unknown', async () => {
    const before = srv.app.osmandCounters.noPosition;
    const fixBefore = (await srv.store.get('ambulances', 'NP04'))!.fix;
    const res = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&timestamp=${now / 1000}&batt=71`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, accepted: false, verdict: 'no-position' });
    expect(srv.app.osmandCounters.noPosition).toBe(before + 1);
    expect((await srv.store.get('ambulances', 'NP04'))!.fix).toEqual(fixBefore);
    // Still the key first: without it, nothing is counted.
    expect((await fetch(`${srv.url}/osmand?id=013900000004&batt=71`)).status).toBe(401);

    now += 10_000;
    const json = (heading: number, lat: number) =>
      fetch(`${srv.url}/osmand/${KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ device_id: '013900000004', location: { timestamp: new Date(now).toISOString(), coords: { latitude: lat, longitude: 95.7802, speed: 3, heading } } }),
      });
    expect(await (await json(45, 40.5216)).json()).toMatchObject({ accepted: true });
    now += 10_000;
    expect(await (await json(-1, 40.5217)).json()).toMatchObject({ accepted: true });
    expect((await srv.store.get('ambulances', 'NP04'))!.fix).toMatchObject({ lat: 40.5217, heading: 45 });
    now += 10_000;
    const located = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&location=40.5218,95.7803&timestamp=${now / 1000}`);
    expect(await located.json()).toMatchObject({ accepted: true });
    expect((await srv.store.get('ambulances', 'NP04'))!.fix).toMatchObject({ lat: 40.5218, lng: 95.7803 });
  });

  it('refuses bad requests; acknowledges but drops a filtered fix', async () => {
    expect((await fetch(`${srv.url}/osmand/${KEY}?lat=40&lon=95`)).status).toBe(400);
    now += 1000;
    const jump = await fetch(`${srv.url}/osmand/${KEY}?id=013900000004&lat=41.5&lon=96.9&timestamp=${now / 1000}`);
    expect(await jump.json()).toEqual({ ok: true, accepted: false, verdict: 'jump' });
    expect(srv.app.osmandCounters.refused.jump).toBe(1);
    // Refused devices, counted: unknown ids (the other sample phones have no OsmAnd entry here,
    // and one id sent without its leading zero) and wrong keys for known ones.
    expect(srv.app.osmandCounters.unknownDevice).toBe(3);
    expect(srv.app.osmandCounters.badKey).toBe(2);
  });
});
