// every(ms, task): nothing runs before the app is ready; then at start (when asked) and on
// each interval; a failed run is logged and the next comes; none after close, and close
// waits for the run under way. On a fake clock (the timers only: Fastify's own scheduling runs
// as ever), so that a loaded machine's late timers cannot miscount the runs.
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { every } from '../../../server/plugins/jobs/every.ts';

const services = fp(async () => {}, { name: 'services' });

async function appWith(job: ReturnType<typeof every>) {
  const app = Fastify({ logger: false });
  await app.register(services);
  await app.register(job);
  return app;
}

const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('every', () => {
  it('runs at start when asked, then every interval, and not after close', async () => {
    let runs = 0;
    const app = await appWith(
      every(
        () => 30,
        async () => void runs++,
        { name: 'job-count', failed: 'counting failed', atStart: true },
      ),
    );
    await sleep(50);
    expect(runs).toBe(0); // not before ready
    await app.ready();
    expect(runs).toBe(1);
    await sleep(100);
    expect(runs).toBeGreaterThanOrEqual(3);
    await app.close();
    const closed = runs;
    await sleep(80);
    expect(runs).toBe(closed);
  });

  it('waits for the first interval without atStart; logs a failure and goes on; close awaits a run under way', async () => {
    let runs = 0;
    let finished = 0;
    const logged: string[] = [];
    const app = await appWith(
      every(
        () => 20,
        async () => {
          runs++;
          if (runs === 1) throw new Error('first run fails');
          await new Promise((r) => setTimeout(r, 60));
          finished++;
        },
        { name: 'job-flaky', failed: 'flaky job failed' },
      ),
    );
    app.log.error = ((_obj: unknown, message: string) => void logged.push(message)) as typeof app.log.error;
    await app.ready();
    expect(runs).toBe(0);
    await sleep(50);
    expect(logged).toEqual(['flaky job failed']);
    expect(runs).toBeGreaterThanOrEqual(2);
    // close waits for the run under way (the second, from 40 ms to 100 ms on the fake clock).
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await sleep(40);
    expect(closed).toBe(false);
    await sleep(200);
    await closing;
    expect(finished).toBe(runs - 1);
  });
});
