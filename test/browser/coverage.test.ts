// Coverage where people read it (issue 18, parts 1 and 2): two negative-pressure units are
// sent from the county seat through the API; the dispatch console's coverage panel then
// shows the figures and the move-up suggestion, C turns the grids' fill to minutes, and M
// accepts the suggestion (the move task is in the store and listed). The commander's board
// shows the same cover folded to one line, C unfolds it with the bands; a commander may not
// move units, so no accept button.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LngLat, MoveTask } from '../../server/schema/index.ts';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';
import { login } from '../helpers/server.ts';

const SEAT: LngLat = [95.7905, 40.5235];
const stableWithHistory = { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };

/** What the map's grid fill shows: the coverage colours (by feature state) or not, and one grid's colour. */
async function gridFill(page: Page): Promise<{ coverage: boolean; colours: number }> {
  return page.evaluate(() => {
    const map = window.__board!.map;
    const paint = JSON.stringify(map.getPaintProperty('grids-fill', 'fill-color'));
    const features = map.querySourceFeatures('grids');
    const colours = new Set(features.map((f) => map.getFeatureState({ source: 'grids', id: f.id! }).cover as string | undefined).filter(Boolean));
    return { coverage: paint.includes('"cover"'), colours: colours.size };
  });
}

describe('coverage on the console and the board', () => {
  const env = serverAndBrowser({ config: { fixStaleMs: 3_600_000 } });

  it('shows the cover, colours the map by minutes and takes the move-up with M; the commander reads it folded on the board', async () => {
    const dispatcher = await login(env.srv.url, 'dispatcher');
    const post = (path: string, body: unknown) =>
      fetch(`${env.srv.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${dispatcher}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (let i = 0; i < 2; i++) {
      const rec = (await (await post('/api/dispatch/recommend', { call: stableWithHistory, pickup: { location: SEAT } })).json()) as {
        data: { options: { ambulanceId: string }[] };
      };
      expect(
        (await post('/api/transfers', { call: stableWithHistory, pickup: { location: SEAT }, patient: `患者${i}`, ambulanceId: rec.data.options[0]!.ambulanceId })).status,
      ).toBe(201);
    }

    const { page, errors } = await openPage(env.browser, { width: 1600, height: 900 });
    await signIn(page, env.srv.url, 'dispatcher');
    const panel = page.locator('[data-coverage-panel]');
    await panel.locator('[data-within="15"]').waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-within="60"] [data-class="negative-pressure"]').textContent()).toMatch(/^\d+%$/);
    const suggestion = panel.locator('[data-suggestion]').first();
    await suggestion.waitFor({ timeout: 30_000 });
    expect(await suggestion.textContent()).toMatch(/调 .+ 至 .+ 待命，负压覆盖人口（30分钟）由 \d+% 升至 \d+%/);
    const unit = (await suggestion.getAttribute('data-suggestion'))!;

    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 60_000 });
    expect((await gridFill(page)).coverage).toBe(false);
    await page.keyboard.press('c');
    await expect.poll(async () => (await gridFill(page)).coverage, { timeout: 10_000 }).toBe(true);
    // Grids within different bands: more than one colour on the map.
    await expect.poll(async () => (await gridFill(page)).colours, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await panel.locator('[data-bands]').textContent()).toContain('≤ 15 分钟');
    await screenshot(page, 'coverage-dispatch-1600x900');

    await page.keyboard.press('m');
    await panel.locator(`[data-move="${unit}"]`).waitFor({ timeout: 15_000 });
    expect(await panel.locator('[role=status]').textContent()).toMatch(/^已下达调车任务：.+ 前往 .+/);
    const move = (await env.srv.store.get('moveTasks', `MV-${unit}`)) as MoveTask | undefined;
    expect(move?.status).toBe('en-route');
    expect(move?.createdBy).toBe('dispatcher');
    await screenshot(page, 'coverage-dispatch-move-1600x900');
    expect(errors).toEqual([]);

    const board = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(board.page, env.srv.url, 'commander');
    const folded = board.page.locator('[data-coverage-panel]');
    await folded.locator('[data-headline]').waitFor({ timeout: 30_000 });
    expect(await folded.getAttribute('open')).toBeNull();
    expect(await folded.locator('[data-headline]').textContent()).toMatch(/负压 30 分钟覆盖 \d+%/);
    await board.page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 60_000 });
    await board.page.keyboard.press('c');
    await expect.poll(() => folded.getAttribute('open'), { timeout: 10_000 }).not.toBeNull();
    await expect.poll(async () => (await gridFill(board.page)).coverage, { timeout: 10_000 }).toBe(true);
    await folded.locator('[data-bands]').waitFor();
    await folded.locator(`[data-move="${unit}"]`).waitFor({ timeout: 15_000 });
    expect(await folded.locator('[data-action="accept-move"]').count()).toBe(0);
    expect(await folded.locator('[data-move] button').count()).toBe(0);
    await screenshot(board.page, 'coverage-board-1366x768');
    expect(board.errors).toEqual([]);
  }, 180_000);
});
