// Mass-testing rounds in Chromium: a commander starts a round for two towns from the
// board's panel (towns picked, a 6-day deadline), sees a bar per town, and sees the
// progress move as sampling points report; the wall shows the compact round panel.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';
import { login } from '../helpers/server.ts';

describe('the mass-testing round panel', () => {
  const env = serverAndBrowser();

  it('lets a commander start a round on the board and shows its progress moving, and the wall shows it', async () => {
    const towns = env.srv.app.county.towns;
    const seat = towns.find((t) => t.seat)!.name;
    const other = towns.find((t) => !t.seat)!.name;
    const { page, errors } = await openPage(env.browser, { width: 1600, height: 900 });
    await signIn(page, env.srv.url, 'commander', '/board');
    const panel = page.locator('[data-rounds-panel]');
    await expect.poll(() => panel.getAttribute('data-round-status'), { timeout: 30_000 }).toBe('none');
    await expect.poll(() => panel.textContent()).toContain('当前无进行中的全员核酸检测');

    await panel.locator('[data-action="start-round"]').click();
    await panel.locator('input[name="county"]').uncheck();
    await panel.locator(`input[name="town"][value="${seat}"]`).check();
    await panel.locator(`input[name="town"][value="${other}"]`).check();
    await panel.locator('select[name="deadlineDays"]').selectOption('6');
    await screenshot(page, 'rounds-board-start');
    await panel.locator('[data-action="start-confirm"]').click();

    await expect.poll(() => panel.getAttribute('data-round-status')).toBe('active');
    const round = (await env.srv.store.get('testingRounds', 'TR-1'))!;
    expect(round).toMatchObject({ scope: 'towns', towns: [seat, other], deadlineDays: 6, startedBy: 'commander', name: '第1轮全员核酸检测' });
    await expect.poll(() => panel.locator('[data-town]').count()).toBe(2);
    expect(await panel.locator('h2').textContent()).toBe('第1轮全员核酸检测');
    expect(await panel.locator('[data-figure="population"]').textContent()).toBe(round.population.toLocaleString('zh-CN'));
    const seatRow = panel.locator(`[data-town="${seat}"]`);
    expect(Number(await seatRow.getAttribute('data-share'))).toBe(0);

    // Sampling points report: half of every grid of the seat town sampled.
    const token = await login(env.srv.url, 'commander');
    const grids = Object.values((await env.srv.store.snapshot()).collections.roundGrids).filter((g) => g.townName === seat);
    let sampled = 0;
    for (const g of grids) {
      const count = Math.ceil(g.population / 2);
      sampled += count;
      const res = await fetch(`${env.srv.url}/api/round-grids/${g.id}/ops`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ opId: randomUUID(), op: { kind: 'add', count } }),
      });
      expect(res.status).toBe(200);
    }
    await expect.poll(() => seatRow.getAttribute('data-share')).not.toBe('0.0000');
    const population = grids.reduce((n, g) => n + g.population, 0);
    expect(Number(await seatRow.getAttribute('data-share'))).toBeCloseTo(sampled / population, 3);
    expect(await seatRow.getAttribute('data-state')).toBe('on-track');
    expect(await panel.locator('[data-figure="sampled"]').textContent()).toBe(sampled.toLocaleString('zh-CN'));
    await screenshot(page, 'rounds-board-progress');

    // The map shows each grid's share sampled, then the risk levels again.
    await panel.locator('[data-action="map-share"]').click();
    const g0 = grids[0]!;
    await expect
      .poll(() => page.evaluate((id) => window.__board!.map.getFeatureState({ source: 'grids', id }).share as number, g0.gridId))
      .toBeCloseTo(Math.ceil(g0.population / 2) / g0.population, 5);
    expect(await page.evaluate(() => JSON.stringify(window.__board!.map.getPaintProperty('grids-fill', 'fill-color')))).toContain('share');
    await screenshot(page, 'rounds-board-map-share');
    await panel.locator('[data-action="map-share"]').click();
    await expect.poll(() => page.evaluate(() => JSON.stringify(window.__board!.map.getPaintProperty('grids-fill', 'fill-color')))).not.toContain('share');

    // The wall's compact panel.
    const wall = await openPage(env.browser, { width: 1920, height: 1080 });
    await signIn(wall.page, env.srv.url, 'wall', '/wall');
    const compact = wall.page.locator('[data-round-wall="TR-1"]');
    await expect.poll(() => compact.locator('[data-town]').count(), { timeout: 30_000 }).toBe(2);
    expect(await compact.textContent()).toContain(seat);
    await screenshot(wall.page, 'rounds-wall');

    // The commander ends it.
    await panel.locator('[data-action="end-round"]').click();
    await panel.locator('[data-action="end-confirm"]').click();
    await expect.poll(() => panel.getAttribute('data-round-status')).toBe('ended');
    await expect.poll(() => compact.count()).toBe(0);
    expect(errors).toEqual([]);
    expect(wall.errors).toEqual([]);
  }, 120_000);
});
