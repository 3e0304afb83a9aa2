// Importing roads in Chromium at 1366×768: an admin opens the 道路 tab, uploads the hand-made
// OSM extract (PBF), reads the report (kept and dropped by reason, length by class, the
// connected pieces and islands) beside the preview map of the network, flies the map to an
// island, confirms the warning and commits; a board already open, with no reload, refetches
// the county's roads and draws the new network.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Map } from 'maplibre-gl';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';

describe('the road import tab', () => {
  const env = serverAndBrowser();

  it('reports an OSM extract with its map, commits it, and an open board redraws the roads', async () => {
    const board = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(board.page, env.srv.url, 'commander', '/board');
    await board.page.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
    const countyFetches: number[] = [];
    board.page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/county') countyFetches.push(r.status());
    });

    const { page, errors } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/imports');
    await page.locator('[data-tab="roads"]').click();
    await page.setInputFiles('[data-field="road-file"]', {
      name: 'small.osm.pbf',
      mimeType: 'application/octet-stream',
      buffer: readFileSync('test/fixtures/roads/small.osm.pbf'),
    });
    await page.click('[data-action="road-check"]');
    await page.locator('[data-road-summary]').waitFor({ timeout: 30_000 });
    const report = (await page.locator('.report').textContent())!;
    expect(report).toContain('读取 10 条，保留 5 条，舍弃 5 条');
    expect(report).toContain('在范围之外');
    expect(report).toContain('机动车不能通行');
    expect(report).toMatch(/连通部分 3 个，最大的 18\.2 km，占总长 78\.2%/);
    expect(await page.locator('[data-road-classes] tbody tr').count()).toBe(5);
    expect(report).toMatch(/路网不连通/);

    // The preview map draws the network and the islands; an island's row flies the map there.
    await page.locator('[data-preview="roads"][data-preview-id^="RDS-"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => {
        const map = (window as Window & { __roadPreview?: { map: Map } }).__roadPreview?.map;
        return !!map && map.querySourceFeatures('road-preview').length > 0;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.click('[data-island="1"]');
    await page.waitForFunction(
      () => {
        const map = (window as Window & { __roadPreview?: { map: Map } }).__roadPreview!.map;
        const c = map.getCenter();
        return !map.isMoving() && Math.abs(c.lng - 95.6) < 0.01 && Math.abs(c.lat - 40.4) < 0.01;
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'road-import-report-1366');

    const version = env.srv.app.roadLayers.current.version;
    await page.click('[data-action="road-commit"]');
    await expect.poll(() => env.srv.app.roadLayers.current.version, { timeout: 15_000 }).not.toBe(version);
    await page.getByText('已提交：所有服务进程已改用新路网').waitFor({ timeout: 15_000 });
    // The open board refetched the county with the new roads, with no reload.
    await expect.poll(() => countyFetches.filter((s) => s === 200).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await board.page.waitForFunction(
      () => {
        const map = (window as Window & { __board?: { map?: Map } }).__board?.map;
        const src = map?.getSource('roads') as { serialize?: () => { data: { features?: unknown[] } } } | undefined;
        return src?.serialize?.().data.features?.length === 5;
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(board.page, 'road-import-board-1366');
    expect(errors).toEqual([]);
    expect(board.errors).toEqual([]);
  }, 150_000);
});
