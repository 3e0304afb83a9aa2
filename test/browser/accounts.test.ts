// Account management in Chromium at 1366×768: an admin creates a field lead scoped to one
// sampling point through the form; the lead signs in on a tablet and is sent back to the
// sign-in form the moment the admin disables the account; a commander is not let in. The
// header, where an admin has the most links, stays on screen at 1366×768 and keeps to one
// row at 1600 px in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { SamplingPoint } from '../../server/schema/index.ts';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('the accounts page', () => {
  let srv: TestServer;
  let browser: Browser;
  let admin: WatchedPage;
  let point: SamplingPoint;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchBrowser();
    admin = await openPage(browser, { width: 1366, height: 768 });
    point = Object.values((await srv.store.snapshot()).collections.samplingPoints).sort((x, y) => x.name.localeCompare(y.name))[0]!;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('creates a scoped field lead, and disabling the account signs the lead’s tablet out at once', async () => {
    const { page, errors } = admin;
    await signIn(page, srv.url, 'admin', '/accounts');
    await page.locator('[data-account="wall"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-account]').count()).toBe(5);
    expect(await page.locator('[data-account="field"] td').nth(1).textContent()).toBe('采样点负责人');

    await page.click('[data-action="create"]');
    await page.fill('input[name=username]', 'lead-li');
    await page.fill('input[name=password]', 'caiyang-2026');
    await page.fill('input[type=search]', point.name);
    await page.check(`[data-point="${point.id}"]`);
    await page.getByText('已选 1 个').waitFor();
    await screenshot(page, 'accounts-create');
    await page.click('[data-action="save"]');
    await page.getByText('已创建账户 lead-li').waitFor({ timeout: 10_000 });
    const row = page.locator('[data-account="lead-li"]');
    expect(await row.textContent()).toContain(point.name);
    expect(await srv.store.getUser('lead-li')).toMatchObject({ role: 'field', samplingPoints: [point.id], disabled: false });

    // The lead on a tablet.
    const tablet = await openPage(browser, { width: 1024, height: 768 });
    await tablet.page.goto(`${srv.url}/field`);
    await tablet.page.fill('input[name=username]', 'lead-li');
    await tablet.page.fill('input[name=password]', 'caiyang-2026');
    await tablet.page.click('button[type=submit]');
    await tablet.page.getByText(point.name).first().waitFor({ timeout: 30_000 });

    await row.locator('[data-action="disable"]').click();
    await page.getByRole('alertdialog').getByText('停用账户 lead-li').waitFor();
    await page.click('[data-action="confirm"]');
    await page.getByText(/已保存账户 lead-li，1 个登录已失效/).waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-status]').textContent()).toBe('已停用');
    // The tablet's live socket is cut and the session refused: back to the sign-in form.
    await tablet.page.locator('input[name=password]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'accounts-disabled');
    expect(errors).toEqual([]);
  }, 90_000);

  it('is not offered to a commander, and its path leads a commander home', async () => {
    const { page } = await openPage(browser, { width: 1366, height: 768 });
    await signIn(page, srv.url, 'commander', '/accounts');
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/board');
    await page.locator('nav a').first().waitFor();
    expect(await page.locator('nav a[href^="/accounts"]').count()).toBe(0);
  }, 60_000);

  it('keeps the whole header on screen at 1366×768 in English too, where an admin has the most links', async () => {
    for (const [path, lang] of [
      ['/accounts', 'en'],
      ['/board', 'en'],
      ['/accounts', 'zh'],
    ] as const) {
      const { page, errors } = await openPage(browser, { width: 1366, height: 768 });
      await signIn(page, srv.url, 'admin', `${path}?lang=${lang}`);
      await page.locator('header button').last().waitFor({ timeout: 30_000 });
      // Every control in the header (links, language, sign out) lies inside the window.
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll('header a, header button, header h1')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 || el.getBoundingClientRect().left < 0)
          .map((el) => el.textContent),
      );
      expect(outside, `${path} in ${lang}`).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 90_000);

  it('fits an admin’s English header on one row at 1600 px, on the dispatch console and the board', async () => {
    for (const path of ['/dispatch', '/board']) {
      // Only the layout is checked here (an admin's console asks for coverage, which admins may not read: a 403).
      const { page } = await openPage(browser, { width: 1600, height: 900 });
      await signIn(page, srv.url, 'admin', `${path}?lang=en`);
      await page.locator('header [data-count="queueing"]').waitFor({ timeout: 30_000 });
      // One row: every part of the header shown (title, figures, links, badge, buttons) spans a common height.
      const rows = await page.evaluate(() => {
        const parts = [...document.querySelector('header')!.children].map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0);
        return { lowestTop: Math.max(...parts.map((r) => r.top)), highestBottom: Math.min(...parts.map((r) => r.bottom)), right: Math.max(...parts.map((r) => r.right)) };
      });
      expect(rows.lowestTop, path).toBeLessThan(rows.highestBottom);
      expect(rows.right, path).toBeLessThanOrEqual(1600);
      await screenshot(page, `header-en-1600${path.replace('/', '-')}`);
      await page.close();
    }
  }, 90_000);
});
