// `npm run bench:map`: the browser's main-thread cost of one live update of the
// ambulance layer with 1,000 vehicles on the map, measured in Debian's Chromium.
// The real server (in process, memory store) holds 1,000 ambulances; the board is
// open twice, once sending MapLibre only what changed (updateData, as built) and once
// replacing the whole collection (setData, `?mapUpdate=full`). For each, a change of
// 1, 100 or 1,000 vehicles is applied through the store, and Chrome's own count of
// main-thread task time (CDP Performance.getMetrics TaskDuration) is read over the
// settle window, minus the same window with no change: everything, the redraw included
// (which Chromium does in software here, with no GPU). Separately, the layer's own
// work (diff and hand-off to MapLibre: the `map-update:ambulances` performance
// measures), and one redraw with nothing changed, the floor any visible update pays.
// Prints median ms per update.
// ROUNDS (default 15) sets the repetitions per case.
import { buildApp } from '../server/app.ts';
import { ensureDemoAccounts } from '../server/auth/accounts.ts';
import { testConfig } from '../server/config.ts';
import { loadCounty } from '../server/county/county.ts';
import { seedIfEmpty } from '../server/county/seed.ts';
import type { Ambulance, Change } from '../server/schema/index.ts';
import { mulberry32 } from '../server/simulator/random.ts';
import { MemoryStore } from '../server/store/memory-store.ts';
import { buildClient, clientBuildIsStale } from './client-build.ts';
import { chromium, type CDPSession, type Page } from 'playwright-core';

const VEHICLES = 1000;
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const SETTLE_MS = 700; // > the layer's 250 ms throttle plus a render
const PASSWORD = 'bench-map-password';
const launchArgs = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run'];

if (clientBuildIsStale()) buildClient();
const county = await loadCounty('data/guazhou');
const store = new MemoryStore({ eventRetention: 100_000 });
const config = testConfig({ liveFrameMs: 200 });
const app = await buildApp({ config, store, county, clock: () => Date.now(), jobs: false });
await ensureDemoAccounts(store, PASSWORD, Date.now());
await seedIfEmpty(store, county.seed, county.locator, Date.now());
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// 1,000 ambulances on the county's roads, copies of the sample fleet.
const random = mulberry32(808);
const vertices = county.roads.features.flatMap((f) => f.geometry.coordinates as [number, number][]);
const templates = Object.values((await store.snapshot()).collections.ambulances);
const place = (): [number, number] => vertices[Math.floor(random() * vertices.length)]!;
const fleet: Ambulance[] = Array.from({ length: VEHICLES - templates.length }, (_, i) => {
  const t = templates[i % templates.length]!;
  const [lng, lat] = place();
  return { ...t, id: `BENCH${String(i).padStart(4, '0')}`, callSign: `测试${i}`, fix: { lng, lat, at: Date.now(), speed: 40, heading: 0 } };
});
await store.apply(
  fleet.map((entity): Change => ({ op: 'upsert', collection: 'ambulances', entity })),
  Date.now(),
);

async function moves(n: number): Promise<Change[]> {
  const all = Object.values((await store.snapshot()).collections.ambulances);
  return all.slice(0, n).map((a): Change => {
    const [lng, lat] = place();
    return { op: 'upsert', collection: 'ambulances', entity: { ...a, fix: { lng, lat, at: Date.now(), speed: 40, heading: 90 }, updatedAt: Date.now() } };
  });
}

const token = (await (
  await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'commander', password: PASSWORD }),
  })
).json()) as { token: string; expiresAt: number };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: launchArgs });

async function openBoard(mode: 'diff' | 'full'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.addInitScript((session) => localStorage.setItem('epi-board.session', session), JSON.stringify(token));
  const page = await context.newPage();
  await page.goto(`${url}/board${mode === 'full' ? '?mapUpdate=full' : ''}`);
  await page.waitForFunction(() => window.__board?.idle === true, undefined, { timeout: 60_000 });
  await page.waitForFunction(
    async (n) => {
      const source = window.__board!.map.getSource('ambulances') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
      return (await source.getData()).features.length >= n;
    },
    VEHICLES,
    { timeout: 30_000, polling: 500 },
  );
  return page;
}

interface Cost {
  /** All main-thread task time in the window (ms). */
  task: number;
  /** The ambulance layer's own update work in the window (ms). */
  layer: number;
}

async function cost(page: Page, cdp: CDPSession, action: () => Promise<void>): Promise<Cost> {
  const read = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return metrics.find((m) => m.name === 'TaskDuration')!.value * 1000;
  };
  await page.evaluate(() => performance.clearMeasures('map-update:ambulances'));
  const before = await read();
  await action();
  await page.waitForTimeout(SETTLE_MS);
  const task = (await read()) - before;
  const layer = await page.evaluate(() => performance.getEntriesByName('map-update:ambulances').reduce((sum, e) => sum + e.duration, 0));
  return { task, layer };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const results: Record<string, number> = {};
for (const mode of ['diff', 'full'] as const) {
  const page = await openBoard(mode);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.waitForTimeout(1000);
  const idle: number[] = [];
  for (let r = 0; r < ROUNDS; r++) idle.push((await cost(page, cdp, async () => {})).task);
  const idleMs = median(idle);
  // One redraw of the map with nothing changed: the floor any visible update pays.
  const repaint: number[] = [];
  for (let r = 0; r < ROUNDS; r++) repaint.push((await cost(page, cdp, () => page.evaluate(() => window.__board!.map.triggerRepaint()))).task);
  results[`${mode}.repaint-only.main-thread`] = median(repaint) - idleMs;
  for (const n of [1, 100, 1000]) {
    const costs: Cost[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      costs.push(await cost(page, cdp, async () => void (await store.apply(await moves(n), Date.now()))));
    }
    results[`${mode}.moved-${n}.layer`] = median(costs.map((c) => c.layer));
    results[`${mode}.moved-${n}.main-thread`] = median(costs.map((c) => c.task)) - idleMs;
  }
  await page.context().close();
}

console.log(`vehicles: ${VEHICLES}`);
console.log(`rounds: ${ROUNDS} per case, settle window ${SETTLE_MS} ms`);
for (const [name, ms] of Object.entries(results)) console.log(`map.${name}: ${ms.toFixed(2)} ms`);
for (const n of [1, 100, 1000]) {
  for (const part of ['layer', 'main-thread']) {
    const ratio = results[`full.moved-${n}.${part}`]! / Math.max(0.01, results[`diff.moved-${n}.${part}`]!);
    console.log(`map.ratio full/diff moved-${n}.${part}: ${ratio.toFixed(1)} x`);
  }
}
await browser.close();
await app.close();
await store.close();
