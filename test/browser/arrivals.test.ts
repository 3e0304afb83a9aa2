// An arrival proposal on the dispatcher console in Chromium: a unit on a task parks by the
// pickup (fixes posted through the API, jittering), the console shows 定位检测 with the time
// of arrival, and one key (Y) records 到达现场 at that time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import type { TransferTask } from '../../server/schema/index.ts';

const PICKUP: [number, number] = [95.7905, 40.5235];
const M_PER_DEG = 111_320;
const HOUR = 3_600_000;
let shift = 0;

describe('an arrival proposed on the console', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;
  beforeAll(async () => {
    // The server's clock an hour behind, moved on a second with each fix below: a unit's dwell without waiting for it.
    srv = await startTestServer({
      clock: () => Date.now() - HOUR + shift,
      config: { arrival: { fence: { enterMeters: 100, leaveMeters: 250, dwellMs: 10_000 }, autoRecord: false } },
    });
    token = await login(srv.url, 'dispatcher');
    browser = await launchBrowser();
    // A browser in another zone than the county's: the console's clocks are the county's (Asia/Shanghai).
    ({ page, errors } = await openPage(browser, { width: 1920, height: 1080 }, { timezoneId: 'America/New_York' }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return ((await res.json()) as { data: TransferTask }).data;
  };

  it('shows the detected arrival with its time and records it with Y', async () => {
    await signIn(page, srv.url, 'dispatcher');
    await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 45_000 });
    const call = { symptoms: true, history: { travel: true, residence: false, contact: false, exposure: false }, condition: 'stable', facilityTransfer: false };
    const task = await api('POST', '/api/transfers', { call, pickup: { location: PICKUP }, ambulanceId: 'NP03', address: '渊泉镇某小区' });
    await api('POST', `/api/transfers/${task.id}/steps`, { to: 'en-route' });
    await page.locator(`[data-task="${task.id}"][data-task-status="en-route"]`).waitFor();

    // Parked 50 m from the pickup, ±15 m of noise, one fix a second.
    const random = mulberry32(11);
    const start = Date.now() - HOUR + shift + 1000;
    for (let s = 0; s < 15; s++) {
      shift += 1000;
      await api('POST', '/api/ambulances/NP03/position', {
        lng: PICKUP[0] + ((random() * 2 - 1) * 15) / (M_PER_DEG * Math.cos((PICKUP[1] * Math.PI) / 180)),
        lat: PICKUP[1] + (50 + (random() * 2 - 1) * 15) / M_PER_DEG,
        at: start + s * 1000,
        speed: 0,
        heading: 0,
      });
    }
    const proposal = page.locator(`[data-task="${task.id}"] [data-proposal="on-scene"]`);
    await proposal.waitFor({ timeout: 15_000 });
    const clock = new Date(start).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
    expect(await proposal.textContent()).toContain(`定位检测：${clock} 到达现场`);
    expect(await proposal.locator('[data-accept-arrival]').textContent()).toBe('确认到达现场（Y）');
    await screenshot(page, 'arrival-proposal');

    await page.locator('body').click({ position: { x: 5, y: 900 } });
    await page.keyboard.press('y');
    await page.locator(`[data-task="${task.id}"][data-task-status="on-scene"]`).waitFor();
    expect(await proposal.count()).toBe(0);
    const stored = (await srv.store.get('transfers', task.id))!;
    expect(stored.steps.at(-1)).toMatchObject({ to: 'on-scene', at: start, by: 'dispatcher' });
    expect(errors).toEqual([]);
  }, 90_000);
});
