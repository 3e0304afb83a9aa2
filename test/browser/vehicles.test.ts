// 车辆与终端 in Chromium at 1366×768: an unknown JT/T 808 terminal and an unknown OsmAnd phone
// report; the admin sees both listed (identity as sent, what they last sent, where from), binds the
// terminal to a vehicle with its row's 绑定, and the terminal's next registration and fix move that
// ambulance with no restart. The screen is reached from the admin's navigation only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { MSG, REGISTER, REPLY, locationBody } from '../../server/ingest/jt808/messages.ts';
import { Terminal } from '../helpers/jt808-terminal.ts';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const PHONE = '013955556666';

describe('the vehicles screen', () => {
  let srv: TestServer;
  let browser: Browser;
  let terminal: Terminal;

  beforeAll(async () => {
    srv = await startTestServer({ config: { jt808: { port: 0 } } });
    browser = await launchBrowser();
    terminal = new Terminal(srv.app.jt808!.port, PHONE);
  }, 60_000);
  afterAll(async () => {
    terminal?.close();
    await browser?.close();
    await srv?.close();
  });

  it('lists an unknown terminal, and binding it in the screen makes its next fix move the chosen ambulance', async () => {
    expect((await terminal.register('BRW0001')).result).toBe(REGISTER.noSuchTerminal);
    const fix = (await srv.store.get('ambulances', 'AMB09'))!.fix!;
    const at = Math.floor(Date.now() / 1000) * 1000;
    expect(await terminal.ask(MSG.location, locationBody({ lng: fix.lng + 0.0002, lat: fix.lat, speed: 12, heading: 80, at }))).toBe(REPLY.failure);
    await fetch(`${srv.url}/osmand/own-key-5678?id=wang-phone&lat=${fix.lat}&lon=${fix.lng}&timestamp=${at / 1000}`);
    await waitFor(
      async () => (await srv.store.terminals.unknownTerminals()).find((u) => u.identity === PHONE && u.lastPosition) ?? null,
      'the terminal listed with its fix',
      20_000,
    );

    const { page, errors } = await openPage(browser, { width: 1366, height: 768 });
    await signIn(page, srv.url, 'admin', '/vehicles');
    const row = page.locator(`[data-unknown="${PHONE}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await page.locator('nav a[href^="/vehicles"]').textContent()).toBe('车辆与终端');
    expect(await row.textContent()).toContain('BRW0001');
    expect(await row.textContent()).toContain('0x0200');
    expect(await row.textContent()).toContain('127.0.0.1');
    expect(await page.locator('[data-unknown="wang-phone"]').textContent()).toContain('OsmAnd');
    expect(await page.locator('[data-vehicle="NP01"] [data-jt808]').textContent()).toContain('13900000001');
    await row.locator('select').selectOption('AMB09');
    await screenshot(page, 'vehicles-unknown');

    await row.locator('[data-action="bind"]').click();
    await page.getByText(`已将 ${PHONE} 绑定到 AMB09`).waitFor({ timeout: 10_000 });
    await row.waitFor({ state: 'detached' });
    // AMB09's old terminal gave way to the new one.
    expect(await page.locator('[data-vehicle="AMB09"] [data-jt808]').textContent()).toContain(PHONE);
    expect(await page.locator('[data-vehicle="AMB09"] [data-jt808]').textContent()).toContain('BRW0001');
    await screenshot(page, 'vehicles-bound');

    // The terminal tries again, as a refused terminal does (its first connection was closed for not
    // authenticating within JT808_AUTH_TIMEOUT_SECONDS: it connects anew): registered, authenticated,
    // and its fix moves AMB09.
    terminal.close();
    terminal = new Terminal(srv.app.jt808!.port, PHONE);
    const { result, code } = await terminal.register('BRW0001');
    expect(result).toBe(REGISTER.ok);
    expect(await terminal.ask(MSG.authenticate, Buffer.from(code))).toBe(REPLY.ok);
    // At least two seconds after the seeded fix: 34 m sooner than that is faster than
    // MAX_FIX_SPEED_KMH and refused as a jump (the seed can fall in the same second as \`at\`).
    const nextAt = Math.max(Math.floor(Date.now() / 1000) * 1000, Math.ceil(fix.at / 1000) * 1000 + 2000);
    const next = { lng: Math.round((fix.lng + 0.0004) * 1e6) / 1e6, lat: Math.round(fix.lat * 1e6) / 1e6, at: nextAt };
    expect(await terminal.ask(MSG.location, locationBody({ ...next, speed: 20, heading: 80 }))).toBe(REPLY.ok);
    expect((await srv.store.get('ambulances', 'AMB09'))!.fix).toMatchObject(next);
    expect(errors).toEqual([]);
  }, 90_000);

  it('speaks English with ?lang=en, every string from the dictionary', async () => {
    const { page, errors } = await openPage(browser, { width: 1366, height: 768 });
    await signIn(page, srv.url, 'admin', '/vehicles?lang=en');
    await page.locator('[data-vehicle="NP01"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('nav a[href^="/vehicles"]').textContent()).toBe('Vehicles & terminals');
    expect(await page.getByRole('heading', { name: /Unknown terminals/ }).count()).toBe(1);
    await page.locator('[data-vehicle="NP01"] [data-action="edit"]').click();
    await page.getByText('Terminals of NP01').waitFor();
    expect(await page.locator('input[name=phone]').inputValue()).toBe('13900000001');
    await screenshot(page, 'vehicles-en');
    // No Chinese left in the page's own text but the data (call signs, plates) and the county's name.
    const text = await page.locator('main').evaluate((el) => el.textContent ?? '');
    expect(text.replace(/瓜州[\u4e00-\u9fff]*[\d-]+|甘F1/g, '')).not.toMatch(/[\u4e00-\u9fff]/);
    // The panel beside the list: every vehicle's actions still within reach (the list scrolls sideways, not under the panel).
    const actions = await page.locator('[data-vehicle="NP01"] [data-action="unbind"]').boundingBox();
    const panel = await page.locator('section.panel').boundingBox();
    expect(actions && panel && actions.x + actions.width <= panel.x + 1).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('is not offered to a commander', async () => {
    const { page } = await openPage(browser, { width: 1366, height: 768 });
    await signIn(page, srv.url, 'commander', '/vehicles');
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/board');
    await page.locator('nav a').first().waitFor();
    expect(await page.locator('nav a[href^="/vehicles"]').count()).toBe(0);
  }, 60_000);
});
