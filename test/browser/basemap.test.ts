// The Amap preset end to end: the board asks for GCJ-02 tiles (served here by the test,
// since this machine has no internet) and draws every overlay shifted onto them, while
// the live state stays in WGS-84.
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import gcoord from 'gcoord';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** A valid 256×256 grey PNG tile. */
function greyTile(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc(256 * 257, 0xcc);
  for (let y = 0; y < 256; y++) rows[y * 257] = 0; // filter byte per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('an Amap (GCJ-02) basemap', () => {
  let srv: TestServer;
  let browser: Browser;
  let watched: WatchedPage;
  const tiles: string[] = [];

  beforeAll(async () => {
    srv = await startTestServer({ config: { basemap: { kind: 'amap' } } });
    browser = await launchBrowser();
    watched = await openPage(browser, { width: 1280, height: 800 });
    const tile = greyTile();
    await watched.page.route(/autonavi\.com/, (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: tile });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('draws Amap tiles and shifts every overlay from WGS-84 onto them', async () => {
    const { page } = watched;
    await signIn(page, srv.url, 'commander', '/board');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((u) => /^https:\/\/webrd0[1-4]\.is\.autonavi\.com\/appmaptile\?/.test(u))).toBe(true);

    // What the map holds for each ambulance is its WGS-84 fix moved by the GCJ-02 offset.
    // Stop the world first, so that what is drawn and what is held are the same moment.
    await srv.simulator?.stop();
    const fixes = await page.evaluate(() => window.__board!.ambulancePositions());
    const drawnNow = () =>
      page.evaluate(async () => {
        const source = window.__board!.map.getSource('ambulances') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
        const data = await source.getData();
        return Object.fromEntries(data.features.map((f) => [String(f.id), (f.geometry as GeoJSON.Point).coordinates]));
      });
    await expect.poll(async () => Object.keys(await drawnNow()).length, { timeout: 10_000 }).toBe(Object.keys(fixes).length);
    const drawn = await drawnNow();
    const ids = Object.keys(fixes);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      const [lng, lat] = fixes[id]!;
      const [x = NaN, y = NaN] = drawn[id] ?? [];
      const expected = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      expect(x).toBeCloseTo(expected[0], 9);
      expect(y).toBeCloseTo(expected[1], 9);
      expect(Math.hypot(x - lng, y - lat)).toBeGreaterThan(0.0005); // about 100 m
    }
    await screenshot(page, 'basemap-amap');
    expect(watched.errors).toEqual([]);
  }, 90_000);
});
