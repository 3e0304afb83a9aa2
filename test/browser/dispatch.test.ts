// The dispatcher console in Chromium at 1920×1080 and 1366×768: every unit listed with
// the API's status, counts equal the API's, a change through the API shows within 2 s,
// a stale fix is flagged in words, the keyboard selects and centres, and a call goes
// from intake to recommendation to an assigned transfer task with one key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '../../server/schema/index.ts';
import { labels } from '../../client/src/i18n/zh/labels.ts';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

const STATUS_ZH: Record<string, string> = labels.ambulanceStatus;

describe('the dispatcher console', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;

  beforeAll(async () => {
    srv = await startTestServer({ config: { liveFrameMs: 200 } });
    token = await login(srv.url, 'dispatcher');
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, { width: 1920, height: 1080 }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  const snapshot = async () => (await (await fetch(`${srv.url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()) as Snapshot;

  it('lists every unit with the API’s status and counts, on the map too', async () => {
    await signIn(page, srv.url, 'dispatcher');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    expect(new URL(page.url()).pathname).toBe('/dispatch'); // a dispatcher lands on the console
    const snap = await snapshot();
    const units = Object.values(snap.collections.ambulances);
    await expect.poll(() => page.locator('[data-ambulance]').count()).toBe(units.length);
    for (const a of units) {
      const row = page.locator(`[data-ambulance="${a.id}"]`);
      expect(await row.getAttribute('data-status')).toBe(a.status);
      expect(await row.locator('.status').textContent()).toBe(STATUS_ZH[a.status]);
    }
    for (const status of Object.keys(STATUS_ZH)) {
      const n = units.filter((a) => a.status === status).length;
      expect(await page.locator(`[data-count="${status}"] b`).textContent()).toBe(String(n));
    }
    await screenshot(page, 'dispatch-1920');
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows a change made through the API within 2 s, and flags a stale fix in words', async () => {
    const unit = Object.values((await snapshot()).collections.ambulances).find((a) => a.kind === 'ordinary')!;
    const res = await fetch(`${srv.url}/api/ambulances/${unit.id}/position`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lng: 95.79, lat: 40.53, at: Date.now() - 10.5 * 60_000, speed: 0, heading: 0 }),
    });
    // An older fix than the seed's is refused; make the unit's fix stale directly instead.
    if (res.status === 409) {
      await srv.store.apply([{ op: 'upsert', collection: 'ambulances', entity: { ...unit, fix: { ...unit.fix!, at: Date.now() - 10.5 * 60_000 } } }], Date.now());
    }
    const row = page.locator(`[data-ambulance="${unit.id}"]`);
    await expect.poll(() => row.getAttribute('data-stale'), { timeout: 2000 }).toBe('true');
    expect(await row.locator('.age').textContent()).toMatch(/定位过期 · 10分钟前/);
    const off = await fetch(`${srv.url}/api/ambulances/${unit.id}/status`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'offline' }),
    });
    expect(off.status).toBe(200);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 2000 }).toBe('offline');
    expect(await row.locator('.status').textContent()).toBe('离线');
    await srv.store.apply([{ op: 'upsert', collection: 'ambulances', entity: { ...unit, status: 'available', fix: { ...unit.fix!, at: Date.now() } } }], Date.now());
  });

  it('selects with the keyboard and centres the map on the unit', async () => {
    await page.locator('body').click({ position: { x: 960, y: 5 } });
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    const first = await page.locator('[data-ambulance][aria-selected="true"]').getAttribute('data-ambulance');
    expect(first).toBeTruthy();
    await page.keyboard.press('Enter');
    const fix = (await snapshot()).collections.ambulances[first!]!.fix!;
    await expect
      .poll(
        async () => {
          const c = await page.evaluate(() => window.__board!.map.getCenter());
          return Math.hypot(c.lng - fix.lng, c.lat - fix.lat);
        },
        { timeout: 3000 },
      )
      .toBeLessThan(0.01);
  });

  it('takes a call from the gazetteer to a recommendation, assigns with one key, and moves the task on', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.fill('[data-field="place"]', 'slsqd1wg');
    await page.locator('.places li').first().waitFor();
    await page.locator('.places li').first().click();
    await page.getByLabel('旅居史').check();
    await expect.poll(() => page.locator('[data-rule]').textContent(), { timeout: 5000 }).toBe('规则1');
    const best = await page.locator('[data-option]').first().getAttribute('data-option');
    expect(best).toMatch(/^NP/);
    expect(await page.locator('[data-destination]').getAttribute('data-destination')).toBe('HOSP-DESIGNATED');
    // The routes are on the map.
    expect(await page.evaluate(() => window.__board!.map.querySourceFeatures('dispatch-routes').length)).toBeGreaterThan(0);
    await screenshot(page, 'dispatch-recommendation');

    await page.locator('body').click({ position: { x: 960, y: 5 } });
    await page.keyboard.press('a');
    const task = page.locator('[data-task]').first();
    await expect.poll(() => task.getAttribute('data-task-status'), { timeout: 3000 }).toBe('assigned');
    expect((await snapshot()).collections.ambulances[best!]).toMatchObject({ status: 'dispatched' });
    await task.locator('[data-step="en-route"]').click();
    await expect.poll(() => task.getAttribute('data-task-status'), { timeout: 3000 }).toBe('en-route');
    await screenshot(page, 'dispatch-task');
    expect(errors).toEqual([]);
  }, 30_000);

  it('lays out at 1366×768', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(500);
    await screenshot(page, 'dispatch-1366');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    expect(errors).toEqual([]);
  });

  it('shows a commander the console read-only: no call intake, no task buttons', async () => {
    const other = await openPage(browser, { width: 1366, height: 768 });
    await signIn(other.page, srv.url, 'commander', '/dispatch');
    await other.page.locator('[data-read-only]').waitFor({ timeout: 30_000 });
    expect(await other.page.locator('[data-read-only]').textContent()).toContain('120调度员');
    await expect.poll(() => other.page.locator('[data-task]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await other.page.locator('[data-step]').count()).toBe(0);
    expect(await other.page.locator('[data-field="place"]').count()).toBe(0);
    expect(other.errors).toEqual([]);
  }, 60_000);
});
