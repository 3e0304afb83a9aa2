// The basemaps end to end. The default: the county's own basemap.pmtiles, read by the pmtiles
// protocol over range requests on the board's origin and drawn (roads, places, the county),
// light on the board and dark on the wall, with not one request leaving the origin. The Amap
// preset: the board asks for GCJ-02 tiles (served here by the test, since this machine has no
// internet) and draws every overlay shifted onto them, while the live state stays in WGS-84;
// an intranet XYZ server in GCJ-02 shifts them the same way.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import gcoord from 'gcoord';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import type { Basemap } from '../../server/schema/index.ts';
import { loadConfig } from '../../server/config.ts';
import { Compression, TileType, writePmtiles, type ArchiveTile } from '../../scripts/county/pmtiles-writer.ts';

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
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The basemap's features MapLibre holds for one source layer, and those it drew on screen. */
const basemapFeatures = (page: WatchedPage['page'], sourceLayer: string) =>
  page.evaluate((layer) => {
    const map = window.__board!.map;
    const held = map.querySourceFeatures('basemap', { sourceLayer: layer }).map((f) => f.properties as Record<string, unknown>);
    const drawn = map
      .queryRenderedFeatures()
      .filter((f) => f.source === 'basemap' && f.sourceLayer === layer)
      .map((f) => f.properties as Record<string, unknown>);
    return { held, drawn };
  }, sourceLayer);

/** The share of the map canvas's sampled pixels whose colour is this one (±6 per channel), read as a frame is drawn. */
const shareOfColour = (page: WatchedPage['page'], hex: string) =>
  page.evaluate(
    async (rgb) => {
      const map = window.__board!.map;
      const url = await new Promise<string>((resolve) => {
        map.once('render', () => resolve(map.getCanvas().toDataURL('image/png')));
        map.triggerRepaint();
      });
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const data = g.getImageData(0, 0, img.width, img.height).data;
      let hit = 0;
      let all = 0;
      for (let i = 0; i < data.length; i += 4 * 97) {
        all++;
        if (Math.abs(data[i]! - rgb[0]!) <= 6 && Math.abs(data[i + 1]! - rgb[1]!) <= 6 && Math.abs(data[i + 2]! - rgb[2]!) <= 6) hit++;
      }
      return hit / all;
    },
    [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)),
  );

describe("the county's own PMTiles basemap (the default)", () => {
  let srv: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('draws roads, towns, villages and the county from range requests on the origin, and nothing leaves it', async () => {
    expect(srv.app.config.basemap.kind).toBe('pmtiles');
    const watched = await openPage(browser, { width: 1280, height: 800 });
    const { page } = watched;
    const ranges: string[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/basemap.pmtiles')) ranges.push(req.headers().range ?? '(none)');
    });
    await signIn(page, srv.url, 'commander', '/board');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    expect(ranges.length).toBeGreaterThan(1);
    expect(ranges.every((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
    const roads = await basemapFeatures(page, 'transportation');
    expect(roads.drawn.length).toBeGreaterThan(0);
    expect(new Set(roads.held.map((p) => p.class))).toContain('motorway');
    expect((await basemapFeatures(page, 'county')).drawn.length).toBeGreaterThan(0);
    await screenshot(page, 'basemap-pmtiles-board-county');
    // Zoomed in on the county seat: its villages' names too.
    await page.evaluate(() => window.__board!.map.jumpTo({ center: [95.782, 40.52], zoom: 11 }));
    await page.waitForFunction(() => window.__board!.map.loaded() && window.__board!.map.areTilesLoaded(), undefined, { timeout: 20_000 });
    await expect.poll(async () => (await basemapFeatures(page, 'place')).drawn.map((p) => p.class), { timeout: 10_000 }).toContain('village');
    await screenshot(page, 'basemap-pmtiles-board');
    expect(watched.foreignRequests(srv.url)).toEqual([]);
    expect(watched.errors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('is dark on the wall, under the overlays', async () => {
    const watched = await openPage(browser, { width: 1920, height: 1080 });
    const { page } = watched;
    await signIn(page, srv.url, 'wall', '/wall');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    const ids = await page.evaluate(() => window.__board!.map.getStyle().layers.map((l) => l.id));
    const lastBasemap = Math.max(...ids.map((id, i) => (id.startsWith('basemap-') ? i : -1)));
    // Every overlay above the basemap's last layer.
    for (const overlay of ['county-outline-line', 'grids-fill', 'ambulances-circle']) {
      if (ids.includes(overlay)) expect(ids.indexOf(overlay), overlay).toBeGreaterThan(lastBasemap);
    }
    expect(ids.indexOf('ambulances-circle')).toBeGreaterThan(lastBasemap);
    expect((await basemapFeatures(page, 'transportation')).drawn.length).toBeGreaterThan(0);
    // The wall's dark background outside the county (and no light one anywhere).
    expect(await shareOfColour(page, '#0b1622')).toBeGreaterThan(0.02);
    expect(await shareOfColour(page, '#dfe6ec')).toBe(0);
    await screenshot(page, 'basemap-pmtiles-wall');
    expect(watched.foreignRequests(srv.url)).toEqual([]);
    expect(watched.errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});

const GCJ02_BASEMAPS = [
  { name: 'an Amap basemap', basemap: { kind: 'amap' }, hosts: /autonavi\.com/, url: /^https:\/\/webrd0[1-4]\.is\.autonavi\.com\/appmaptile\?/ },
  {
    name: 'an intranet WMTS server in GCJ-02 (MAP_BASEMAP=xyz)',
    basemap: {
      kind: 'xyz',
      tiles: ['http://gis.intranet.test/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}'],
      type: 'raster',
      crs: 'gcj02',
      maxzoom: 18,
    },
    hosts: /gis\.intranet\.test/,
    url: /^http:\/\/gis\.intranet\.test\/wmts\?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+$/,
  },
] as const satisfies readonly { name: string; basemap: Basemap; hosts: RegExp; url: RegExp }[];

describe('a PMTiles file of its own (MAP_PMTILES), as planetiler writes one', () => {
  let srv: TestServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    // The sample's tiles to zoom 9 in a file whose metadata names its source, as an OSM build does.
    const tiles: ArchiveTile[] = [];
    const { PMTiles } = await import('pmtiles');
    const bytes = readFileSync('data/guazhou/basemap.pmtiles');
    const source = {
      getKey: () => 'file',
      getBytes: async (offset: number, length: number) => ({ data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer }),
    };
    const gunzip = async (buf: ArrayBuffer, c: number) => (c === 2 ? new Uint8Array(gunzipSync(Buffer.from(buf))).buffer : buf);
    const reader = new PMTiles(source, undefined, gunzip);
    for (let z = 0; z <= 9; z++) {
      for (let x = 0; x < 2 ** z; x++) {
        for (let y = 0; y < 2 ** z; y++) {
          if (z >= 5 && (x < Math.floor(((94 + 180) / 360) * 2 ** z) || x > Math.ceil(((98 + 180) / 360) * 2 ** z))) continue;
          const t = await reader.getZxy(z, x, y);
          if (t) tiles.push({ z, x, y, data: gzipSync(Buffer.from(t.data)) });
        }
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'osm-basemap-'));
    const meta = (await reader.getMetadata()) as Record<string, unknown>;
    const h = await reader.getHeader();
    writeFileSync(
      join(dir, 'county.pmtiles'),
      writePmtiles({
        tiles,
        tileType: TileType.mvt,
        tileCompression: Compression.gzip,
        bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
        center: [h.centerLon, h.centerLat],
        centerZoom: 8,
        metadata: { ...meta, attribution: '© OpenStreetMap contributors' },
      }),
    );
    const { basemap, pmtilesFile } = loadConfig({ MAP_BASEMAP: 'pmtiles', MAP_PMTILES: join(dir, 'county.pmtiles') });
    srv = await startTestServer({ config: { basemap, pmtilesFile } });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws it and shows the attribution its metadata names', async () => {
    expect(srv.app.config.pmtilesFile).toBe(join(dir, 'county.pmtiles'));
    const watched = await openPage(browser, { width: 1280, height: 800 });
    const { page } = watched;
    await signIn(page, srv.url, 'dispatcher', '/dispatch');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    expect((await basemapFeatures(page, 'transportation')).drawn.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent(), { timeout: 10_000 }).toContain('© OpenStreetMap contributors');
    expect(watched.foreignRequests(srv.url)).toEqual([]);
    expect(watched.errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});

describe.each(GCJ02_BASEMAPS)('$name (GCJ-02)', ({ basemap, hosts, url }) => {
  let srv: TestServer;
  let browser: Browser;
  let watched: WatchedPage;
  const tiles: string[] = [];

  beforeAll(async () => {
    srv = await startTestServer({ config: { basemap, pmtilesFile: null } });
    browser = await launchBrowser();
    watched = await openPage(browser, { width: 1280, height: 800 });
    const tile = greyTile();
    await watched.page.route(hosts, (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: tile });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('draws its tiles and shifts every overlay from WGS-84 onto them', async () => {
    const { page } = watched;
    await signIn(page, srv.url, 'commander', '/board');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((u) => url.test(u))).toBe(true);

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
    await screenshot(page, basemap.kind === 'amap' ? 'basemap-amap' : 'basemap-xyz-gcj02');
    expect(watched.errors).toEqual([]);
  }, 90_000);
});
