// Part of `npm run bench`: the latency of POST /api/dispatch/recommend with 1,000
// vehicles in the county, through the real app on a real Redis (the production path:
// HTTP, auth, the store's snapshot, eligibility, road ETAs, routes for the first three,
// the destination). Calls come one after another from random places in the county,
// half rule 1 (negative-pressure units), half rule 2 (ordinary units).
// VEHICLES (default 1000) and CALLS (default 300) change the load.
import { buildApp } from '../server/app.ts';
import { ensureDemoAccounts } from '../server/auth/accounts.ts';
import { testConfig } from '../server/config.ts';
import { loadCounty } from '../server/county/county.ts';
import { seedIfEmpty } from '../server/county/seed.ts';
import type { Ambulance, Change, LngLat } from '../server/schema/index.ts';
import { mulberry32 } from '../server/simulator/random.ts';
import { RedisStore } from '../server/store/redis-store.ts';
import { startRedis } from '../test/helpers/redis.ts';

const VEHICLES = Number(process.env.VEHICLES ?? 1000);
const CALLS = Number(process.env.CALLS ?? 300);
const PASSWORD = 'bench-dispatch-password';

const redis = await startRedis();
const county = await loadCounty('data/guazhou');
const store = new RedisStore({ url: redis.url, prefix: redis.prefix });
const app = await buildApp({ config: testConfig({ fixStaleMs: 3_600_000 }), store, county, clock: () => Date.now(), jobs: false });
await ensureDemoAccounts(store, PASSWORD, Date.now());
await seedIfEmpty(store, county.seed, county.locator, Date.now());
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// The fleet: copies of the sample units on random road vertices, a third of them busy.
const random = mulberry32(120);
const vertices = county.roads.features.flatMap((f) => f.geometry.coordinates as [number, number][]);
const templates = Object.values((await store.snapshot()).collections.ambulances);
const fleet: Ambulance[] = Array.from({ length: VEHICLES - templates.length }, (_, i) => {
  const t = templates[i % templates.length]!;
  const [lng, lat] = vertices[Math.floor(random() * vertices.length)]!;
  return {
    ...t,
    id: `BENCH${String(i).padStart(4, '0')}`,
    callSign: `测试${i}`,
    status: random() < 0.33 ? 'dispatched' : 'available',
    fix: { lng, lat, at: Date.now(), speed: 0, heading: 0 },
    gridId: county.locator.locate(lng, lat)?.id ?? null,
  };
});
for (let i = 0; i < fleet.length; i += 200) {
  await store.apply(
    fleet.slice(i, i + 200).map((entity): Change => ({ op: 'upsert', collection: 'ambulances', entity })),
    Date.now(),
  );
}

const login = await fetch(`${url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }),
});
const { token } = (await login.json()) as { token: string };

// Places inside the county: random points kept when a grid holds them.
const places: LngLat[] = [];
while (places.length < CALLS) {
  const p: LngLat = [95.2 + 1.8 * random(), 40.1 + 1.3 * random()];
  if (county.locator.locate(p[0], p[1])) places.push(p);
}
const history = (any: boolean) => ({ travel: any, residence: false, contact: false, exposure: false });
const recommend = async (i: number) => {
  const body = {
    call: { symptoms: true, history: history(i % 2 === 0), condition: 'stable', facilityTransfer: false },
    pickup: { location: places[i % places.length] },
  };
  const start = performance.now();
  const res = await fetch(`${url}/api/dispatch/recommend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { data?: { options: unknown[] } };
  const ms = performance.now() - start;
  if (!res.ok || !json.data || json.data.options.length === 0) throw new Error(`recommend failed: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return ms;
};

for (let i = 0; i < 20; i++) await recommend(i); // warm-up
const times: number[] = [];
for (let i = 0; i < CALLS; i++) times.push(await recommend(i));
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
console.log(`dispatch.vehicles: ${VEHICLES}`);
console.log(`dispatch.recommend.p50: ${q(0.5).toFixed(1)} ms (${CALLS} calls, Redis store, graph router)`);
console.log(`dispatch.recommend.p99: ${q(0.99).toFixed(1)} ms`);
await app.close();
await store.close();
await redis.stop();
