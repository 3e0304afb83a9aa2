// `npm run import:towns`: the report from the command line without a store, and with REDIS_URL
// and --commit the town set committed to that Redis (what a running board then switches to);
// rejected rows commit nothing unless --skip-invalid.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedTownLayer } from '../../server/county/town-layer.ts';
import { RedisStore } from '../../server/store/redis-store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const run = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const { REDIS_URL: _, ...inherited } = process.env;
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['scripts/import-towns.ts', ...args], { env: { ...inherited, ...env }, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
  }
};

describe('npm run import:towns', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let withBadRow: string;
  beforeAll(async () => {
    redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'towns-cli-'));
    withBadRow = join(dir, 'bad.csv');
    writeFileSync(withBadRow, '名称,代码,乡镇代码\n星火新村,620922100001,620922100\n外县村,620921100001,620921100\n');
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('prints the report without a store', async () => {
    const { code, stdout } = await run(['test/fixtures/towns/guazhou.csv']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/读取 105 行，保留 105 行，舍弃 0 行；乡镇 15，村（社区） 90/);
    expect(stdout).toMatch(/中心：文件给出 15，由网格推算 90，不在县界内 0/);
  });

  it('commits to REDIS_URL with --commit, rows with errors only when skipped', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    const refused = await run([withBadRow, '--commit', '--confirm-warnings'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/舍弃（不属于本县）1 行：第 3 行/);
    expect(refused.stdout).toMatch(/未提交：有 1 行有错误/);
    const store = new RedisStore({ url: redis.url, prefix: redis.prefix });
    try {
      expect(await store.townSetVersion()).toBeUndefined();
      const done = await run([withBadRow, '--commit', '--skip-invalid', '--confirm-warnings'], env);
      expect(done.code, done.stdout).toBe(0);
      const set = await store.getTownSet();
      expect(set).toMatchObject({ by: 'cli' });
      expect(done.stdout).toContain(`已提交（版本 ${set!.version}）：乡镇 15 个，村（社区） 1 个`);
      expect(storedTownLayer(set!).villages?.map((v) => v.name)).toEqual(['星火新村']);
    } finally {
      await store.close();
    }
  });
});
