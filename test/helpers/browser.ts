// Debian's Chromium driven by playwright-core, as ENGINEERING.md describes: one
// launcher, a page that records every console error, failed response and request,
// and the sign-in form filled the way a user fills it.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer, type TestServerOptions } from './server.ts';

export const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * A test server and Chromium for the tests of one describe block: started before them,
 * closed after. Read `env.srv` and `env.browser` inside the tests.
 */
export function serverAndBrowser(options: TestServerOptions = {}): { readonly srv: TestServer; readonly browser: Browser } {
  const env = {} as { srv: TestServer; browser: Browser };
  beforeAll(async () => {
    env.srv = await startTestServer(options);
    env.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: launchArgs });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and HTTP responses ≥ 400, in order. */
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
  /** Requests that left the server's origin (data: and blob: excepted). */
  foreignRequests(origin: string): string[];
}

export function watch(page: Page): WatchedPage {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // Console messages about failed loads omit the URL; this names it.
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return {
    page,
    errors,
    requests,
    foreignRequests: (origin) => requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin),
  };
}

/** A new page at this size in a context of its own (own storage), watched. */
export async function openPage(
  browserOrContext: Browser | BrowserContext,
  viewport: { width: number; height: number },
  options: { deviceScaleFactor?: number; timezoneId?: string } = {},
): Promise<WatchedPage> {
  const context = 'newContext' in browserOrContext ? await browserOrContext.newContext({ viewport, ...options }) : browserOrContext;
  return watch(await context.newPage());
}

/** Opens `path`, signs in through the form as `username`. */
export async function signIn(page: Page, baseUrl: string, username: string, path = '/'): Promise<void> {
  await page.goto(baseUrl + path);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
}

/** Saves a screenshot under test-results/ (for people to look at). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png` });
}
