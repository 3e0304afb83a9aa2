// Signing out in Chromium: 退出 ends the session on the server (the old token is refused
// afterwards), in the header (here the accounts page's) and on the field tablet alike; when the server cannot
// be told, the screen says so and stays signed in.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';

const storedToken = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('epi-board.session') ?? 'null') as { token: string } | null)?.token ?? null);

describe('signing out', () => {
  const env = serverAndBrowser();
  const me = (token: string) => fetch(`${env.srv.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  for (const [username, path] of [
    ['admin', '/accounts'],
    ['field', '/field'],
  ] as const) {
    it(`退出 ends the session on the server (${username} at ${path})`, async () => {
      const { page } = await openPage(env.browser, { width: 1366, height: 768 });
      await signIn(page, env.srv.url, username, path);
      const button = page.getByRole('button', { name: '退出', exact: true });
      await button.waitFor({ timeout: 30_000 });
      const token = (await storedToken(page))!;
      expect(token).toBeTruthy();
      expect(await me(token)).toBe(200);
      expect(await button.textContent()).toBe('退出');
      await button.click();
      await page.locator('input[name=username]').waitFor({ timeout: 10_000 });
      expect(await storedToken(page)).toBeNull();
      expect(await me(token)).toBe(401);
      await page.context().close();
    }, 60_000);
  }

  it('says so and stays signed in when the server cannot end the session', async () => {
    const { page } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/accounts');
    const button = page.getByRole('button', { name: '退出', exact: true });
    await button.waitFor({ timeout: 30_000 });
    const token = (await storedToken(page))!;
    await page.route('**/api/auth/logout', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal', message: '服务器内部错误 (internal error)' }) }),
    );
    await button.click();
    const error = page.locator('[data-sign-out-error]');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toBe('退出失败，仍处于登录状态，请重试');
    await screenshot(page, 'sign-out-failed');
    expect(await page.locator('input[name=username]').count()).toBe(0);
    expect(await storedToken(page)).toBe(token);
    expect(await me(token)).toBe(200);
    // The server answers again: the retry signs out.
    await page.unroute('**/api/auth/logout');
    await button.click();
    await page.locator('input[name=username]').waitFor({ timeout: 10_000 });
    expect(await me(token)).toBe(401);
    await page.context().close();
  }, 60_000);
});
