// The board over plain http under a host name (the README's nginx on port 80, no TLS): Chromium
// resolves board.test to this machine, loads the sign-in page with its scripts and styles from
// the same http origin (a CSP `upgrade-insecure-requests` would send them to https and leave
// the page blank), signs in and sees the wall's map come to rest.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchArgs, screenshot, signIn, watch } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('plain http under a host name', () => {
  let srv: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    srv = await startTestServer();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...launchArgs, '--host-resolver-rules=MAP board.test 127.0.0.1'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('renders the sign-in page and the board, every script from the same http origin', async () => {
    const origin = `http://board.test:${new URL(srv.url).port}`;
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const { page, errors, requests } = watch(await context.newPage());
    await page.goto(`${origin}/`);
    await page.waitForSelector('input[name=username]', { timeout: 30_000 });
    const scripts = requests.filter((u) => /\.js(\?|$)/.test(u));
    expect(scripts.length).toBeGreaterThan(0);
    expect(requests.filter((u) => u.startsWith('https:'))).toEqual([]);
    await screenshot(page, 'plain-http-signin');
    await signIn(page, origin, 'wall');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 60_000 });
    await screenshot(page, 'plain-http-wall');
    // Chromium notes that it ignores Cross-Origin-Opener-Policy on an http origin: a remark, not a failure.
    expect(errors.filter((e) => !e.includes('Cross-Origin-Opener-Policy header has been ignored'))).toEqual([]);
    await context.close();
  }, 120_000);
});
