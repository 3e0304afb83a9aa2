// The alerts panel in Chromium: on the board a commander sees the open alerts, acknowledges
// one and resolves another with a reason (the store records who, when and why); the
// dispatcher's console shows only the alerts about vehicles and hospitals, read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Alert } from '../../server/schema/index.ts';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('the alerts panel', () => {
  let srv: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    srv = await startTestServer();
    await srv.app.alerts.evaluate(); // the sample county's standing alerts
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });
  const alerts = async () => Object.values((await srv.store.snapshot()).collections.alerts) as Alert[];

  it('lets a commander acknowledge and resolve alerts on the board', async () => {
    const { page, errors } = await openPage(browser, { width: 1600, height: 900 });
    await signIn(page, srv.url, 'commander', '/board');
    const open = (await alerts()).filter((a) => a.status === 'open');
    expect(open.length).toBeGreaterThan(1);
    await expect.poll(() => page.locator('[data-alert]').count(), { timeout: 30_000 }).toBe(open.length);
    await screenshot(page, 'board-alerts');

    const first = page.locator('[data-alert]').first();
    const firstId = (await first.getAttribute('data-alert'))!;
    await first.locator('[data-action="ack"]').click();
    await expect.poll(() => page.locator(`[data-alert="${firstId}"]`).getAttribute('data-status')).toBe('acknowledged');
    expect((await srv.store.get('alerts', firstId))!.acknowledged).toMatchObject({ by: 'commander' });
    await expect.poll(() => page.locator(`[data-alert="${firstId}"]`).textContent()).toContain('commander');

    const second = page.locator('[data-alert][data-status="open"]').first();
    const secondId = (await second.getAttribute('data-alert'))!;
    await second.locator('[data-action="resolve"]').click();
    await second.locator('input[name="reason"]').fill('已增派采样人员');
    await second.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator(`[data-alert="${secondId}"]`).count()).toBe(0);
    expect((await srv.store.get('alerts', secondId))!).toMatchObject({ status: 'resolved', resolved: { by: 'commander', reason: '已增派采样人员' } });
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a dispatcher only the alerts about vehicles, coverage and hospitals, without actions', async () => {
    const now = Date.now();
    const alert: Alert = {
      id: 'ALERT-NP',
      kind: 'np-ambulance-shortage',
      severity: 'critical',
      message: '全县无可用负压救护车（共5辆）',
      subject: null,
      status: 'open',
      raisedAt: now,
      updatedAt: now,
    };
    await srv.store.apply([{ op: 'upsert', collection: 'alerts', entity: alert }], now);
    const { page } = await openPage(browser, { width: 1600, height: 900 });
    await signIn(page, srv.url, 'dispatcher', '/dispatch');
    await page.locator('[data-alert="ALERT-NP"]').waitFor({ timeout: 30_000 });
    const kinds = new Map((await alerts()).map((a) => [a.id, a.kind]));
    const ids = await page.locator('[data-alert]').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert')!));
    for (const id of ids) expect(['np-ambulance-shortage', 'coverage-gap', 'fix-stale', 'hospital-escalation']).toContain(kinds.get(id));
    expect(await page.locator('[data-alerts-panel] [data-action]').count()).toBe(0);
    await screenshot(page, 'dispatch-alerts');
  }, 60_000);

  it('words every alert in the screen’s language: an English console reads them in English', async () => {
    const { page, errors } = await openPage(browser, { width: 1600, height: 900 });
    await signIn(page, srv.url, 'dispatcher', '/dispatch?lang=en');
    await page.locator('[data-alert]').first().waitFor({ timeout: 30_000 });
    const byId = new Map((await alerts()).map((a) => [a.id, a]));
    const rows = await page
      .locator('[data-alert]')
      .evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-alert')!, text: e.querySelector('.message')!.textContent!, rule: e.querySelector('.rule')?.textContent ?? '' })),
      );
    const worded = rows.filter((r) => byId.get(r.id)?.terms);
    expect(worded.length).toBeGreaterThan(0);
    for (const r of worded) {
      const alert = byId.get(r.id)!;
      let bare = r.text + r.rule;
      for (const name of Object.values(alert.terms!)) bare = bare.split(name).join('');
      expect(bare, r.text).not.toMatch(/[\u4e00-\u9fff]/);
      expect(r.text).not.toBe(alert.message);
    }
    // One raised before alerts kept their terms keeps the Chinese it was raised with.
    expect(rows.find((r) => r.id === 'ALERT-NP')?.text).toBe('全县无可用负压救护车（共5辆）');
    await screenshot(page, 'dispatch-alerts-en');
    expect(errors).toEqual([]);
  }, 60_000);
});
