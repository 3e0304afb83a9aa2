// Importing grids in Chromium at 1366×768: an admin uploads the county's grids with one
// left out (GeoJSON), reads the report (the gap with its area blocks the commit), cancels,
// uploads them with one grid renamed and commits; a board already open, with no reload,
// fetches the new grid set by its version. A file with problems is drawn on the report's
// map (errors red, warnings orange, the overlap and the gap marked), and a problem row flies
// the map to its feature, at 1366×768 and 1920×1080.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { GridCollection } from '../../server/schema/index.ts';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';
import { login } from '../helpers/server.ts';

describe('the grid import tab', () => {
  const env = serverAndBrowser();

  it('reports a file, commits it, and an open board redraws the new grids by themselves', async () => {
    // A board already open, as on the wall: it must follow the import without a reload.
    const board = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(board.page, env.srv.url, 'commander', '/board');
    await board.page.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
    const gridFetches: string[] = [];
    board.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/grids') gridFetches.push(r.url());
    });

    // The county's grids with one left out: the gap it leaves blocks the commit.
    const current = env.srv.app.gridLayers.current.grids as GridCollection;
    const gappy = structuredClone(current);
    gappy.features.splice(20, 1);

    const { page, errors } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/imports');
    await page.locator('[data-tab="grids"]').click();
    const check = async (grids: GridCollection) => {
      await page.setInputFiles('[data-field="grid-file"]', { name: '网格.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(grids)) });
      await page.click('[data-action="grid-check"]');
      await page.locator('[data-grid-summary]').waitFor({ timeout: 30_000 });
      return (await page.locator('.report').textContent())!;
    };
    const report = await check(gappy);
    expect(report).toContain('共 688 个要素');
    expect(report).toMatch(/大于 1 公顷的缝隙（最大 [\d,]+ m²）/);
    expect(await page.locator('[data-action="grid-commit"]').count()).toBe(0);
    await screenshot(page, 'grid-import-gap-1366');
    await page.click('[data-action="grid-cancel"]');

    // The same grids with one renamed: good, and committed.
    const renamed = structuredClone(current);
    const renamedId = renamed.features[10]!.properties.id;
    renamed.features[10]!.properties.name = '界面改名网格';
    expect(await check(renamed)).toContain('有错误 0');
    await page.click('[data-action="grid-commit"]');
    await expect.poll(() => env.srv.app.gridLayers.current.locator.byId(renamedId)?.name, { timeout: 15_000 }).toBe('界面改名网格');
    const version = (await (await fetch(`${env.srv.url}/api/client-config`, { headers: { authorization: `Bearer ${await login(env.srv.url, 'admin')}` } })).json())
      .gridsVersion as string;
    // The open board fetched the new set by its version, with no reload.
    await expect.poll(() => gridFetches.some((u) => new URL(u).searchParams.get('v') === version), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'grid-import-committed-1366');
    expect(errors).toEqual([]);
    expect(board.errors).toEqual([]);
  }, 120_000);

  it('draws the file on the report’s map with its problems, and a problem row flies the map to its feature', async () => {
    const current = env.srv.app.gridLayers.current.grids as GridCollection;
    const file = structuredClone(current);
    // Feature 31's grid left out (a gap), feature 1 drawn again as 'COPY' (an overlap, both
    // red), feature 400 with no population (a warning, orange).
    file.features.splice(30, 1);
    delete (file.features[399]!.properties as Partial<GridCollection['features'][number]['properties']>).population;
    file.features.push({ ...file.features[0]!, properties: { ...file.features[0]!.properties, id: 'COPY' } });
    const copy = file.features.length;

    type Rendered = { grids: { feature: number; problem: string | null }[]; gaps: number; overlaps: number; markers: number };
    const rendered = (page: Page) =>
      page.evaluate((): Rendered | null => {
        const map = (window as unknown as { __gridPreview?: { map: import('maplibre-gl').Map } }).__gridPreview?.map;
        if (!map?.getLayer('import-preview-fill') || !map.loaded()) return null;
        const query = (layer: string) => map.queryRenderedFeatures({ layers: [layer] });
        return {
          grids: query('import-preview-fill').map((f) => ({ feature: f.properties.feature as number, problem: (f.properties.problem as string | undefined) ?? null })),
          gaps: query('import-preview-gap').length,
          overlaps: query('import-preview-overlap').length,
          markers: query('import-preview-marker').length,
        };
      });
    const view = (page: Page) =>
      page.evaluate(() => {
        const map = (window as unknown as { __gridPreview: { map: import('maplibre-gl').Map } }).__gridPreview.map;
        return { center: map.getCenter().toArray() as [number, number], zoom: map.getZoom(), moving: map.isMoving() };
      });

    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      const { page, errors } = await openPage(env.browser, { width, height });
      await signIn(page, env.srv.url, 'admin', '/imports');
      await page.locator('[data-tab="grids"]').click();
      await page.setInputFiles('[data-field="grid-file"]', { name: '有问题的网格.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(file)) });
      await page.click('[data-action="grid-check"]');
      await page.locator('[data-grid-summary]').waitFor({ timeout: 30_000 });
      const id = await page.locator('[data-preview="grids"][data-preview-id^="GRD-"]').getAttribute('data-preview-id', { timeout: 30_000 });
      expect(id).toMatch(/^GRD-/);

      // Every feature is drawn at the county's zoom; the problems in their colours.
      await expect.poll(async () => (await rendered(page))?.grids.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(600);
      const drawn = (await rendered(page))!;
      const problemOf = new Map(drawn.grids.map((g) => [g.feature, g.problem]));
      expect(problemOf.get(1)).toBe('error');
      expect(problemOf.get(copy)).toBe('error');
      expect(problemOf.get(400)).toBe('warning');
      expect(problemOf.get(2)).toBeNull();
      expect(drawn.markers).toBeGreaterThanOrEqual(2);
      expect(drawn.gaps).toBeGreaterThanOrEqual(1);
      expect(drawn.overlaps).toBeGreaterThanOrEqual(1);
      await screenshot(page, `grid-import-preview-${width}`);

      // The warning's row: the map flies to feature 400 and outlines it.
      const target = file.features[399]!.geometry;
      const ring = (target.type === 'Polygon' ? target.coordinates[0] : target.coordinates[0]![0])!;
      const [w, s, e, n] = [Math.min(...ring.map((p) => p[0]!)), Math.min(...ring.map((p) => p[1]!)), Math.max(...ring.map((p) => p[0]!)), Math.max(...ring.map((p) => p[1]!))];
      const before = await view(page);
      await page.click('tr[data-feature="400"]');
      await expect.poll(async () => !(await view(page)).moving && (await view(page)).zoom > before.zoom + 1, { timeout: 10_000 }).toBe(true);
      const after = await view(page);
      expect(after.center[0]).toBeGreaterThan(w);
      expect(after.center[0]).toBeLessThan(e);
      expect(after.center[1]).toBeGreaterThan(s);
      expect(after.center[1]).toBeLessThan(n);
      expect(await page.locator('tr[data-feature="400"]').getAttribute('class')).toContain('focused');
      await screenshot(page, `grid-import-preview-flown-${width}`);
      // The largest gap (where feature 31's grid was): the map flies there.
      const gap = (await env.srv.app.gridImports.get(id!))!.gaps.largest[0]!;
      await page.click('[data-action="fly-gap"]');
      await expect
        .poll(
          async () => {
            const v = await view(page);
            return !v.moving && Math.hypot(v.center[0] - gap.at[0], v.center[1] - gap.at[1]) < 1e-4;
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      await expect.poll(async () => (await rendered(page))?.gaps ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      await screenshot(page, `grid-import-preview-gap-${width}`);
      // Cancelled: the map goes, and its preview is no longer served.
      await page.click('[data-action="grid-cancel"]');
      await page.locator('[data-preview="grids"]').waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 120_000);
});
