// A commander sets a grid's risk level from the board's map in Chromium: click the grid,
// choose 封控区 in its popup, set it; the store has the grid sealed and its low-level
// neighbours controlled, and the map draws the new level. A dispatcher's popup has no control.
import pointOnFeature from '@turf/point-on-feature';
import bbox from '@turf/bbox';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';

describe('grid risk on the board', () => {
  const env = serverAndBrowser();

  /** Zooms the map onto the grid and clicks a point inside it. */
  async function clickGrid(page: Page, id: string): Promise<void> {
    const grid = env.srv.app.county.grids.features.find((f) => f.properties.id === id)!;
    const [lng, lat] = pointOnFeature(grid).geometry.coordinates as [number, number];
    const box = bbox(grid);
    await page.evaluate(
      (b) =>
        window.__board!.map.fitBounds(
          [
            [b[0], b[1]],
            [b[2], b[3]],
          ],
          { animate: false, padding: 80 },
        ),
      box,
    );
    await page.waitForFunction(() => window.__board!.map.loaded());
    const at = await page.evaluate(
      ([x, y]) => {
        const p = window.__board!.map.project([x, y]);
        const r = window.__board!.map.getCanvas().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
      },
      [lng, lat] as [number, number],
    );
    await page.mouse.click(at.x, at.y);
  }

  it('lets a commander seal a grid from its popup, controlling its neighbours', async () => {
    const { page, errors } = await openPage(env.browser, { width: 1600, height: 900 });
    await signIn(page, env.srv.url, 'commander', '/board');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    const { gridStatus } = (await env.srv.store.snapshot()).collections;
    const locator = env.srv.app.county.locator;
    const target = Object.values(gridStatus).find((g) => g.risk === 'low' && locator.neighbours(g.id).length >= 2)!;
    const lowNeighbours = locator.neighbours(target.id).filter((n) => ['low', 'precaution', 'medium'].includes(gridStatus[n]?.risk ?? 'low'));

    await clickGrid(page, target.id);
    const control = page.locator(`[data-risk-control="${target.id}"]`);
    await control.waitFor({ timeout: 10_000 });
    await control.locator('select').selectOption('sealed');
    expect(await control.locator('input[name=neighbours]').isChecked()).toBe(true);
    await control.locator('button[type=submit]').click();
    await expect.poll(() => control.locator('[role=status]').textContent(), { timeout: 5000 }).toContain('已设为封控区');
    expect(await control.locator('[role=status]').textContent()).toContain(`${lowNeighbours.length}个相邻网格设为管控区`);
    expect(await page.locator('.maplibregl-popup dd').first().textContent()).toBe('封控区');
    expect((await env.srv.store.get('gridStatus', target.id))!.risk).toBe('sealed');
    for (const n of lowNeighbours) expect((await env.srv.store.get('gridStatus', n))!.risk).toBe('controlled');
    await expect.poll(() => page.evaluate((id) => window.__board!.map.getFeatureState({ source: 'grids', id }).risk, target.id), { timeout: 5000 }).toBe('sealed');
    await screenshot(page, 'board-grid-sealed');
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows a dispatcher the grid without the control', async () => {
    const { page } = await openPage(env.browser, { width: 1600, height: 900 });
    await signIn(page, env.srv.url, 'dispatcher', '/board');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    const id = Object.keys((await env.srv.store.snapshot()).collections.gridStatus)[0]!;
    await clickGrid(page, id);
    await page.locator('.maplibregl-popup').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-risk-control]').count()).toBe(0);
  }, 90_000);
});
