// A quiet feed is not live: the wall hears the server's heartbeat every few seconds, so with
// nothing changing (simulator off) it stays 实时 past socket.io's 25 s ping; when the
// server's event loop stops (SIGSTOP on its process, the socket left open) the wall leaves
// 实时 within 10 s, says since when it last heard the server, and returns by itself once
// the process runs again (SIGCONT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

describe('a quiet feed', () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServerProcess({ DEMO_PASSWORD, LIVE_HEARTBEAT_MS: '2000' });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    server?.child.kill('SIGCONT');
    await browser?.close();
    await server?.stop();
  });

  it('stays live while the server beats, leaves 实时 when it stops, and comes back by itself', async () => {
    const { page } = await openPage(browser, { width: 1920, height: 1080 });
    await signIn(page, server.url, 'wall');
    const badge = page.locator('[data-freshness]').first();
    await expect.poll(() => badge.getAttribute('data-freshness'), { timeout: 60_000 }).toBe('live');

    // Nothing changes on the board; 30 s is past socket.io's ping interval and three times the
    // 10 s the wall allows a quiet feed: it must have heard the heartbeat, and stayed live.
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      seen.add((await badge.getAttribute('data-freshness')) ?? '');
      await page.waitForTimeout(1000);
    }
    expect([...seen]).toEqual(['live']);

    server.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await expect.poll(() => badge.getAttribute('data-freshness'), { timeout: 30_000, interval: 250 }).toBe('stale');
    console.log(`the wall left 实时 ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the server stopped`);
    expect(await badge.textContent()).toMatch(/数据延迟 · 最后收到服务器消息 \d\d:\d\d:\d\d/);
    expect(await page.locator('[data-recovering="stale"]').textContent()).toContain('超过10秒未收到服务器消息');
    await screenshot(page, 'quiet-feed-stale');

    server.child.kill('SIGCONT');
    await expect.poll(() => badge.getAttribute('data-freshness'), { timeout: 30_000 }).toBe('live');
    expect(await page.locator('[data-recovering]').count()).toBe(0);
  }, 180_000);
});
