// The imports page in Chromium at 1366×768: an admin drops a CSV of isolation hotels on the form,
// reads the report (a row outside the county flagged with its row number), commits the
// good rows, and the hotel is on the board; a commander is neither linked to it nor let in.
// On a slow link the upload shows its progress, then the check's.
import { describe, expect, it } from 'vitest';
import { openPage, screenshot, serverAndBrowser, signIn } from '../helpers/browser.ts';

describe('the imports page', () => {
  const env = serverAndBrowser();

  it('checks a file, shows each row’s problems, and commits the good rows', async () => {
    const { page, errors } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/imports');
    await page.locator('[data-field="layer"]').waitFor({ timeout: 30_000 });
    await page.selectOption('[data-field="layer"]', 'hotels');
    const csv = '编号,名称,经度,纬度,房间数\nUI-H1,界面导入酒店,95.79,40.52,88\nUI-H2,县外酒店,116.39,39.9,50\n';
    // The file picker speaks the board's language, and takes a file dropped on it.
    expect(await page.locator('[data-chosen-file]').textContent()).toBe('未选择文件，也可把文件拖到这里');
    const dropped = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], '隔离点.csv', { type: 'text/csv' }));
      return transfer;
    }, csv);
    await page.dispatchEvent('.form label.file', 'drop', { dataTransfer: dropped });
    expect(await page.locator('[data-chosen-file]').textContent()).toBe('隔离点.csv');
    await page.click('[data-action="check"]');
    await page.locator('[data-summary]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-summary]').textContent()).toBe('共 2 行：正确 1 行，有错误 1 行；将新建 1，将更新 0');
    expect(await page.locator('[data-row="3"]').textContent()).toContain('位置不在本县范围内');
    expect(await page.locator('[data-action="commit"]').count()).toBe(0);
    await screenshot(page, 'imports-1366');
    await page.click('[data-action="commit-good"]');
    await page.getByText('已提交：新建 1，更新 0，跳过 1').waitFor({ timeout: 10_000 });
    expect(await env.srv.store.get('hotels', 'UI-H1')).toMatchObject({ name: '界面导入酒店', rooms: { total: 88 } });
    expect(await env.srv.store.get('hotels', 'UI-H2')).toBeUndefined();
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a slow upload’s progress, then that the file is being checked', async () => {
    const { page, errors } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'admin', '/imports');
    await page.locator('[data-field="layer"]').waitFor({ timeout: 30_000 });
    // 400 kB (a column the import ignores) over a 100 kB/s uplink: about four seconds to send.
    const padding = 'x'.repeat(100_000);
    const csv = `编号,名称,经度,纬度,采样台数,备注\n${[1, 2, 3, 4].map((i) => `UI-SP${i},慢速导入${i},95.7${i},40.52,2,${padding}`).join('\n')}\n`;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 10_000_000, uploadThroughput: 100_000 });
    // The server holds its check back until released, so the check's state can be seen.
    const imports = env.srv.app.imports;
    const check = imports.upload.bind(imports);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    imports.upload = async (...args) => {
      await held;
      return check(...args);
    };
    await page.setInputFiles('[data-field="file"]', { name: '采样点.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-action="check"]');
    const bar = page.locator('[data-progress="upload"]');
    await bar.waitFor({ timeout: 10_000 });
    // The share moves while the file goes out.
    const percent = async () => Number(/正在上传 (\d+)%/.exec((await page.locator('.form').textContent()) ?? '')?.[1] ?? -1);
    await expect.poll(percent, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await percent()).toBeLessThan(100);
    await screenshot(page, 'imports-uploading-1366');
    await page.locator('[data-progress="check"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.form').textContent()).toMatch(/正在检查文件（\d+ 秒）…/);
    release();
    await page.locator('[data-summary]').waitFor({ timeout: 10_000 });
    imports.upload = check;
    expect(await page.locator('[data-summary]').textContent()).toMatch(/^共 4 行/);
    expect(await page.locator('progress').count()).toBe(0);
    await page.click('[data-action="cancel"]');
    expect(errors).toEqual([]);
  }, 60_000);

  it('is not offered to a commander, and its path leads a commander home', async () => {
    const { page } = await openPage(env.browser, { width: 1366, height: 768 });
    await signIn(page, env.srv.url, 'commander', '/imports');
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/board');
    await page.locator('nav a').first().waitFor();
    expect(await page.locator('nav a[href^="/imports"]').count()).toBe(0);
  }, 60_000);
});
