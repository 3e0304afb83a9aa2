// `npm run import:roads`: the report from the command line without a store, and with
// REDIS_URL and --commit the road set committed to that Redis (what a running board then
// switches to); a warning not confirmed commits nothing. A committed set that cannot be read
// back is refused with its version named.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedRoadLayer } from '../../server/county/road-layer.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const run = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const { REDIS_URL: _, ...inherited } = process.env;
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['scripts/import-roads.ts', ...args], { env: { ...inherited, ...env }, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
  }
};

// Each run starts tsx: seconds apiece on a busy machine.
describe('npm run import:roads', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('prints the report without a store', async () => {
    const { code, stdout } = await run(['test/fixtures/roads/small.osm']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/读取 10 条，保留 5 条，舍弃 5 条/);
    expect(stdout).toMatch(/trunk：12\.7 km，1 条，85 km\/h/);
    expect(stdout).toMatch(/连通部分 3 个：最大的 18\.2 km，占 78\.2%/);
    expect(stdout).toMatch(/孤立部分 1：4\.2 km，2 个节点，位于 95\.60000, 40\.40000/);
  });

  it('commits to REDIS_URL with --commit, only once the warnings are confirmed', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    const refused = await run(['test/fixtures/roads/small.osm.pbf', '--commit'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/未提交：有 1 条警告/);
    const store = new RedisStore({ url: redis.url, prefix: redis.prefix });
    try {
      expect(await store.roadSetVersion()).toBeUndefined();
      const done = await run(['test/fixtures/roads/small.osm.pbf', '--commit', '--confirm-warnings'], env);
      expect(done.code, done.stdout).toBe(0);
      const set = await store.getRoadSet();
      expect(set).toMatchObject({ by: 'cli' });
      expect(done.stdout).toContain(`已提交（版本 ${set!.version}）`);
      expect(storedRoadLayer(set!).network.vertices).toHaveLength(10);
    } finally {
      await store.close();
    }
  });

  it('refuses bad arguments with the usage', async () => {
    const bad = await run(['--margin-km', 'far', 'x.osm']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/usage: npm run import:roads/);
    const unknown = await run(['--speed', 'x.osm']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/usage: npm run import:roads/);
  });

  it('names an unreadable committed road set', () => {
    for (const corrupt of [
      '{"type":"FeatureColl',
      '{}',
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}]}',
    ])
      expect(() => storedRoadLayer({ version: 'r9', roadsJson: corrupt })).toThrow(/committed road set r9 is unreadable/);
  });
});
