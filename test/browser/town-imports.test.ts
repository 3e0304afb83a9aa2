// Importing towns and villages in Chromium at 1366×768: an admin opens the 乡镇村 tab, uploads
// the fixture CSV with a town renamed, a row of another county and a centre far outside the
// county line, reads the report (rows kept and rejected by reason with row numbers, centres
// given and computed from grids) beside the map of the centres (the flagged one ringed red), flies
// the map to a record from its row, and commits the good rows; a board already open, with no
// reload, refetches the county and labels the renamed town.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Map } from 'maplibre-gl';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';

const csv = `${readFileSync('test/fixtures/towns/guazhou.csv', 'utf8')
  .replace('柳园镇,620922101,', '柳园新镇,620922101,')
  .replaceAll(',柳园镇\n', ',柳园新镇\n')}外县村,620921100001,95.8,40.5,,\n远方村,620922102097,100.5,36.1,,\n`;

describe('the town and village import tab', () => {
  const env = serverAndBrowser();

  it('reports a file with its map of centres, commits the good rows, and an open board relabels the town', async () => {
    const board = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(board.page, env.srv.url, 'commander', '/board');
    await board.page.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
    const townLabels = () =>
      board.page.evaluate(() => {
        const map = (window as Window & { __board?: { map?: Map } }).__board?.map;
        const src = map?.getSource('towns') as { serialize?: () => { data: { features?: { properties: { name: string } }[] } } } | undefined;
        return (src?.serialize?.().data.features ?? []).map((f) => f.properties.name);
      });
    await expect.poll(townLabels, { timeout: 15_000 }).toContain('柳园镇');

    const { page, errors } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/imports');
    await page.locator('[data-tab="towns"]').click();
    expect(await page.locator('[data-tab="towns"]').textContent()).toBe('乡镇村');
    await page.setInputFiles('[data-field="town-file"]', { name: 'guazhou.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-action="town-check"]');
    await page.locator('[data-town-summary]').waitFor({ timeout: 30_000 });
    const report = (await page.locator('.report').textContent())!;
    expect(report).toContain('读取 107 行，保留 106 行，舍弃 1 行；乡镇 15 个，村（社区） 91 个');
    expect(report).toContain('中心：文件给出 16 个，由网格推算 90 个，不在县界内 1 个');
    expect(await page.locator('[data-town-rejected] [data-reason="foreign-code"]').textContent()).toContain('不属于本县');
    expect(await page.locator('[data-town-rejected] [data-reason="foreign-code"]').textContent()).toContain('107');
    expect(await page.locator('[data-unmatched="villagesWithoutGrids"]').textContent()).toContain('远方村');
    expect(await page.locator('tr[data-row="108"]').getAttribute('class')).toMatch(/flagged/);
    expect(await page.locator('tr[data-row="107"]').getAttribute('class')).toMatch(/bad/);

    // The map of the centres: every kept record, the flagged one ringed; a row flies the map there.
    await page.locator('[data-preview="towns"][data-preview-id^="TWN-"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => {
        const map = (window as Window & { __townPreview?: { map: Map } }).__townPreview?.map;
        return !!map && map.loaded() && map.querySourceFeatures('town-preview').length > 0;
      },
      undefined,
      { timeout: 30_000 },
    );
    const flagged = await page.evaluate(() => {
      const map = (window as Window & { __townPreview?: { map: Map } }).__townPreview!.map;
      const src = map.getSource('town-preview') as unknown as { serialize: () => { data: { features: { properties: { name: string; flagged: boolean } }[] } } };
      const features = src.serialize().data.features;
      return { all: features.length, flagged: features.filter((f) => f.properties.flagged).map((f) => f.properties.name) };
    });
    expect(flagged).toEqual({ all: 106, flagged: ['远方村'] });
    await screenshot(page, 'town-import-report-1366');
    await page.click('[data-fly="620922101"]');
    await page.waitForFunction(
      () => {
        const map = (window as Window & { __townPreview?: { map: Map } }).__townPreview!.map;
        const c = map.getCenter();
        return !map.isMoving() && Math.abs(c.lng - 95.45) < 0.01 && Math.abs(c.lat - 41.1) < 0.01;
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'town-import-flown-1366');

    const version = env.srv.app.townLayers.current.version;
    expect(await page.locator('[data-action="town-commit"]').textContent()).toContain('只提交无误的 106 行');
    await page.click('[data-action="town-commit"]');
    await expect.poll(() => env.srv.app.townLayers.current.version, { timeout: 15_000 }).not.toBe(version);
    await page.getByText('已提交：乡镇 15 个、村（社区） 91 个；所有服务进程已改用新名录').waitFor({ timeout: 15_000 });
    // The open board refetched the county and labels the renamed town, with no reload.
    await expect.poll(townLabels, { timeout: 15_000 }).toContain('柳园新镇');
    expect(await townLabels()).not.toContain('柳园镇');
    await screenshot(board.page, 'town-import-board-1366');
    expect(errors).toEqual([]);
    expect(board.errors).toEqual([]);
  }, 150_000);
});
