// The 120 centre's figures where people read them: two transfers run through the API (one
// unit rolling in 2 minutes, one in 5), then the dispatch console's panel shows today's
// and the week's figures with their targets, and the wall shows today's cards.
import { describe, expect, it } from 'vitest';
import type { TransferTask } from '../../server/schema/index.ts';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';
import { login } from '../helpers/server.ts';

const SEAT: [number, number] = [95.7905, 40.5235];
const stableWithHistory = { symptoms: true, history: { travel: true, residence: false, contact: true, exposure: false }, condition: 'stable', facilityTransfer: false };
const MIN = 60_000;

/** How far ahead the next 09:00 in the county (UTC+8) is: both transfers then fall in one county day, whenever the suite runs. */
function untilNineInTheCounty(now = Date.now()): number {
  const HOUR = 60 * MIN;
  const local = now + 8 * HOUR;
  const nine = Math.floor(local / (24 * HOUR)) * 24 * HOUR + 9 * HOUR - 8 * HOUR;
  return nine >= now ? nine - now : nine + 24 * HOUR - now;
}

describe('120 KPIs on the console and the wall', () => {
  // Run at 22:34 in the county, the two transfers straddled midnight and today held only one.
  let offset = untilNineInTheCounty();
  const env = serverAndBrowser({ clock: () => Date.now() + offset, config: { minDisinfectionMs: 30 * MIN } });

  async function runTask(token: string, unit: string, rollAfterMin: number) {
    const post = (path: string, body: unknown) =>
      fetch(`${env.srv.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/api/transfers', { call: stableWithHistory, pickup: { location: SEAT }, address: '渊泉镇', ambulanceId: unit });
    expect(created.status).toBe(201);
    const task = ((await created.json()) as { data: TransferTask }).data;
    for (const [to, after, extra] of [
      ['en-route', rollAfterMin, {}],
      ['on-scene', 10, {}],
      ['transporting', 5, {}],
      ['handed-over', 20, { handover: { sendingSide: '现场', receivedBy: '急诊' } }],
      ['disinfecting', 5, { decontaminationPointId: 'DECON-SEAT' }],
      ['closed', 40, {}],
    ] as const) {
      offset += after * MIN;
      expect((await post(`/api/transfers/${task.id}/steps`, { to, ...extra })).status, to).toBe(200);
    }
  }

  it('shows today’s and the week’s figures on the console, and today’s on the wall', async () => {
    const dispatcher = await login(env.srv.url, 'dispatcher');
    await runTask(dispatcher, 'NP01', 2);
    await runTask(dispatcher, 'NP02', 5);

    const { page, errors } = await openPage(env.browser, { width: 1600, height: 900 });
    await signIn(page, env.srv.url, 'dispatcher');
    const rolling = page.locator('[data-kpi="rolling"] [data-range="today"]');
    await expect.poll(() => rolling.textContent(), { timeout: 30_000 }).toBe('50% (1/2)');
    expect(await page.locator('[data-kpi="rolling"] [data-range="week"]').textContent()).toBe('50% (1/2)');
    expect(await rolling.getAttribute('class')).toContain('below'); // under the 95 % target
    expect(await page.locator('[data-kpi="response"] [data-range="today"]').textContent()).toBe('13.5 / 15 分钟');
    expect(await page.locator('[data-kpi="disinfection"] [data-range="today"]').textContent()).toBe('40 / 40 分钟');
    expect(await page.locator('[data-kpi="rolling"]').getAttribute('title')).toMatch(/3分钟内出车/);
    await page.locator('[data-kpi-panel]').scrollIntoViewIfNeeded();
    await screenshot(page, 'kpis-dispatch-1600x900');
    expect(errors).toEqual([]);

    const wall = await openPage(env.browser, { width: 1920, height: 1080 });
    await signIn(wall.page, env.srv.url, 'wall');
    const card = wall.page.locator('[data-indicator="kpi.rolling"]');
    await expect.poll(() => card.getAttribute('data-value'), { timeout: 30_000 }).toBe('0.5');
    expect(await wall.page.locator('[data-indicator="kpi.response"]').getAttribute('data-value')).toBe('13.5');
    // The cards fit the right panel: inside the viewport, above the footer's ticker.
    const box = (await card.boundingBox())!;
    const footer = (await wall.page.locator('footer').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(footer.y);
    await wall.page.waitForTimeout(1000);
    await screenshot(wall.page, 'kpis-wall-1920x1080');
    expect(wall.errors).toEqual([]);
  }, 90_000);
});
