// No panel covers another, and none covers the county: on the board from 1366×768 to
// 1920×1080 in both languages and on the wall at 1920×1080 and 3840×2160, with a
// mass-testing round running (its panel showing) and alerts open, the county's extent as
// the map draws it lies clear of every floating panel, and the panels clear of each other.
// Checked from the rendered layout: the map's projection of the county's corners against
// the panels' rectangles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';
import { login } from '../helpers/server.ts';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const outline = JSON.parse(readFileSync('data/guazhou/county.geojson', 'utf8')) as { features: { geometry: { coordinates: number[][][] } }[] };
const points = outline.features.flatMap((f) => f.geometry.coordinates.flat());
const lngs = points.map((p) => p[0]!);
const lats = points.map((p) => p[1]!);
const corners: [number, number][] = [
  [Math.min(...lngs), Math.min(...lats)],
  [Math.max(...lngs), Math.max(...lats)],
];

/** The county's extent on screen, the map's box and every floating panel's. */
async function layout(page: Page): Promise<{ county: Box; map: Box; panels: { name: string; box: Box }[] }> {
  await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 60_000 });
  await page.waitForTimeout(500); // a refit after the panels' last change lands in the next frame
  return page.evaluate((corners) => {
    const map = window.__board!.map;
    const c = map.getContainer().getBoundingClientRect();
    const [a, b] = corners.map((p) => map.project(p as [number, number]));
    const county = { left: c.left + Math.min(a!.x, b!.x), right: c.left + Math.max(a!.x, b!.x), top: c.top + Math.min(a!.y, b!.y), bottom: c.top + Math.max(a!.y, b!.y) };
    const panels = [...document.querySelectorAll('[data-map-panel]')].map((e, i) => {
      const r = e.getBoundingClientRect();
      return { name: `${i}:${e.className}`, box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
    });
    return { county, map: { left: c.left, top: c.top, right: c.right, bottom: c.bottom }, panels: panels.filter((p) => p.box.right > p.box.left && p.box.bottom > p.box.top) };
  }, corners);
}

function expectClear(name: string, l: Awaited<ReturnType<typeof layout>>, expectedPanels: number) {
  expect(l.panels.length, `${name}: panels shown`).toBeGreaterThanOrEqual(expectedPanels);
  // The whole county is in view…
  expect(l.county.left, name).toBeGreaterThanOrEqual(l.map.left);
  expect(l.county.right, name).toBeLessThanOrEqual(l.map.right);
  expect(l.county.top, name).toBeGreaterThanOrEqual(l.map.top);
  expect(l.county.bottom, name).toBeLessThanOrEqual(l.map.bottom);
  // …under no panel, and no panel over another.
  for (const p of l.panels) expect(overlaps(p.box, l.county), `${name}: ${p.name} covers the county`).toBe(false);
  for (let i = 0; i < l.panels.length; i++)
    for (let j = i + 1; j < l.panels.length; j++) expect(overlaps(l.panels[i]!.box, l.panels[j]!.box), `${name}: ${l.panels[i]!.name} covers ${l.panels[j]!.name}`).toBe(false);
}

describe('panels over the map', () => {
  const env = serverAndBrowser();

  it('leave the county and each other clear on the board and the wall', async () => {
    const commander = await login(env.srv.url, 'commander');
    const started = await fetch(`${env.srv.url}/api/testing-rounds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${commander}`, 'content-type': 'application/json' },
      body: JSON.stringify({ county: true }),
    });
    expect(started.status).toBe(201);

    for (const [width, height] of [
      [1366, 768],
      [1600, 900],
      [1920, 1080],
    ] as const) {
      for (const lang of ['zh', 'en'] as const) {
        const { page, errors } = await openPage(env.browser, { width, height });
        await signIn(page, env.srv.url, 'commander', `/?lang=${lang}`);
        await page.locator('[data-map-panel] [data-round]').first().or(page.locator('.rounds-overlay *').first()).waitFor({ timeout: 30_000 });
        const l = await layout(page);
        if (width === 1366) await screenshot(page, `panels-board-${width}x${height}-${lang}`);
        expectClear(`board ${width}×${height} ${lang}`, l, 3);
        expect(errors).toEqual([]);
        await page.context().close();
      }
    }
    for (const [width, height] of [
      [1920, 1080],
      [3840, 2160],
    ] as const) {
      const { page, errors } = await openPage(env.browser, { width, height });
      await signIn(page, env.srv.url, 'wall');
      const l = await layout(page);
      await screenshot(page, `panels-wall-${width}x${height}`);
      expectClear(`wall ${width}×${height}`, l, 2);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 240_000);
});
