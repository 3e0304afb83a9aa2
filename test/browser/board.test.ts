// The board end to end: the real server with the simulator, the built client, Debian's
// Chromium. Signs in through the form, waits for the map to settle, and checks that
// nothing failed, nothing left the origin, and ambulances move.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildClient, clientBuildIsStale } from '../../scripts/client-build.ts';
import { startTestServer, DEMO_PASSWORD, type TestServer } from '../helpers/server.ts';

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type Positions = Record<string, [number, number]>;

describe('board in a real browser', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    if (clientBuildIsStale()) buildClient();
    // Frames on, as in production: the board must apply coalesced frames too.
    srv = await startTestServer({ simulator: true, config: { liveFrameMs: 200, fieldFrameMs: 1000 } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    // Console messages about failed loads omit the URL; this names it.
    page.on('response', (res) => {
      if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('signs in, shows the live county map and moves ambulances', async () => {
    await page.goto(srv.url);
    await page.fill('input[name=username]', 'dispatcher');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('button[type=submit]');

    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    await expect.poll(() => page.getAttribute('[data-freshness]', 'data-freshness')).toBe('live');

    const before = await page.evaluate(() => window.__board!.ambulancePositions());
    expect(Object.keys(before).length).toBeGreaterThan(0);
    const seqBefore = await page.evaluate(() => window.__board!.seq());
    const moved = await page.waitForFunction(
      (start: Positions) => {
        const now = window.__board!.ambulancePositions();
        return Object.entries(now).some(([id, [lng, lat]]) => {
          const was = start[id];
          return was !== undefined && (was[0] !== lng || was[1] !== lat);
        });
      },
      before,
      { timeout: 15_000, polling: 250 },
    );
    expect(await moved.jsonValue()).toBe(true);
    expect(await page.evaluate(() => window.__board!.seq())).toBeGreaterThan(seqBefore);

    // The map drew the moved ambulances, not just the store.
    const rendered = await page.evaluate(
      () => window.__board!.map.queryRenderedFeatures({ layers: ['ambulances-circle'] }).length,
    );
    expect(rendered).toBeGreaterThan(0);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/board.png' });

    expect(errors).toEqual([]);
    const origin = new URL(srv.url).origin;
    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
  }, 90_000);

  it('heals after the server drops it: resumes with a replay and ends with the store’s state', async () => {
    const replaysBefore = await page.evaluate(() => window.__board!.live.replays);
    srv.app.io.of('/live').disconnectSockets(true);
    await expect.poll(() => page.getAttribute('[data-freshness]', 'data-freshness'), { timeout: 5_000 }).not.toBe('live');
    await page.waitForFunction((n: number) => window.__board!.live.replays > n && window.__board!.live.inSync, replaysBefore, {
      timeout: 20_000,
    });
    await expect.poll(() => page.getAttribute('[data-freshness]', 'data-freshness'), { timeout: 10_000 }).toBe('live');

    // Stop the simulator, let the last deltas arrive, and compare the whole state.
    await srv.simulator?.stop();
    const finalSeq = await srv.store.seq();
    await page.waitForFunction((seq: number) => window.__board!.seq() === seq, finalSeq, { timeout: 10_000 });
    const shown = await page.evaluate(() => JSON.stringify(window.__board!.live.collections));
    expect(JSON.parse(shown)).toEqual((await srv.store.snapshot()).collections);
    expect(await page.evaluate(() => window.__board!.live.resyncs)).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
