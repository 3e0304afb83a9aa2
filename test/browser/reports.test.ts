// The daily reports page in Chromium at 1366×768: a commander makes today's report, sees
// it listed and previewed sheet by sheet with the API's figures, and downloads the XLSX
// (opened and read back), then a layer as GeoJSON and the hospitals as EDXL-HAVE XML; a
// dispatcher is neither linked to it nor let in.
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { DailyReport } from '../../server/domain/daily-report.ts';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from '../helpers/browser.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

describe('the daily reports page', () => {
  let srv: TestServer;
  let browser: Browser;
  let commander: WatchedPage;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchBrowser();
    commander = await openPage(browser, { width: 1366, height: 768 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('makes today’s report on demand, lists it, previews it, and downloads it as XLSX', async () => {
    const { page, errors } = commander;
    await signIn(page, srv.url, 'commander', '/reports');
    await page.getByText('尚无日报').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/reports');
    await page.click('[data-action="generate"]');
    const row = page.locator('[data-report]').first();
    await row.waitFor({ timeout: 10_000 });
    const date = (await row.getAttribute('data-report'))!;
    const token = await login(srv.url, 'commander');
    const report = ((await (await fetch(`${srv.url}/api/reports/${date}/json`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: DailyReport }).data;
    expect(await row.textContent()).toContain(report.zero ? '零报告' : '日报');
    expect(await row.textContent()).toContain('按需');
    await expect.poll(() => page.locator('[data-title]').textContent()).toBe(report.title);
    // The summary sheet as the API has it; then the hospitals' sheet, row for row.
    const summary = page.locator('[data-sheet="汇总"] tbody tr');
    expect(await summary.count()).toBe(report.sheets[0]!.rows.length);
    expect(await summary.nth(0).textContent()).toContain(date);
    await page.getByRole('tab', { name: /定点收治/ }).click();
    expect(await page.locator('[data-sheet="定点收治"] tbody tr').count()).toBe(report.sheets.find((s) => s.name === '定点收治')!.rows.length);
    await screenshot(page, 'reports-1366');

    const [file] = await Promise.all([page.waitForEvent('download'), row.locator('[data-download="xlsx"]').click()]);
    expect(file.suggestedFilename()).toBe(`${report.title}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await file.path())!)).buffer as ArrayBuffer);
    expect(workbook.getWorksheet('汇总')!.getCell('A1').value).toBe(report.title);

    // A layer's current state as GeoJSON, named in Chinese.
    const [geo] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="hospitals"]')]);
    expect(geo.suggestedFilename()).toMatch(/^定点医院-\d{4}-\d\d-\d\d\.geojson$/);
    const fc = JSON.parse(await readFile((await geo.path())!, 'utf8')) as { type: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(Object.keys((await srv.store.snapshot()).collections.hospitals).length);
    // The hospitals' beds as EDXL-HAVE 1.0 XML, one Hospital per hospital.
    const [have] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="hospitals-have"]')]);
    expect(have.suggestedFilename()).toMatch(/^医院床位-EDXL-HAVE-\d{4}-\d\d-\d\d\.xml$/);
    const xml = await readFile((await have.path())!, 'utf8');
    expect(xml).toContain('xmlns:have="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"');
    expect(xml.match(/<have:Hospital>/g)).toHaveLength(fc.features.length);
    expect(errors).toEqual([]);
  }, 60_000);

  it('is not offered to a dispatcher, and its path leads a dispatcher home', async () => {
    const { page } = await openPage(browser, { width: 1366, height: 768 });
    await signIn(page, srv.url, 'dispatcher', '/reports');
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/dispatch');
    await page.locator('nav a').first().waitFor();
    expect(await page.locator('nav a[href^="/reports"]').count()).toBe(0);
  }, 60_000);
});
