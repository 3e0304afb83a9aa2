// The board end to end: the real server with the simulator, the built client, Debian's
// Chromium. Signs in through the form, waits for the map to settle, and checks that
// nothing failed, nothing left the origin, and ambulances move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildClient, clientBuildIsStale } from '../../scripts/client-build.ts';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Positions = Record<string, [number, number]>;

describe('board in a real browser', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let foreign: (origin: string) => string[];

  beforeAll(async () => {
    if (clientBuildIsStale()) buildClient();
    // Frames on, as in production: the board must apply coalesced frames too.
    srv = await startTestServer({ simulator: true, config: { liveFrameMs: 200, fieldFrameMs: 1000 } });
    browser = await launchBrowser();
    const watched = await openPage(browser, { width: 1600, height: 900 });
    ({ page, errors } = watched);
    foreign = watched.foreignRequests;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('signs in, shows the live county map and moves ambulances', async () => {
    await signIn(page, srv.url, 'commander', '/board');

    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    await expect.poll(() => page.getAttribute('[data-freshness]', 'data-freshness')).toBe('live');

    // Positions and seq read together: a delta landing between two reads would move an
    // ambulance already counted in the seq.
    const { before, seqBefore } = await page.evaluate(() => ({
      before: window.__board!.ambulancePositions(),
      seqBefore: window.__board!.seq(),
    }));
    expect(Object.keys(before).length).toBeGreaterThan(0);
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
    const rendered = await page.evaluate(() => window.__board!.map.queryRenderedFeatures({ layers: ['ambulances-circle'] }).length);
    expect(rendered).toBeGreaterThan(0);

    await screenshot(page, 'board');

    expect(errors).toEqual([]);
    expect(foreign(new URL(srv.url).origin)).toEqual([]);
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
