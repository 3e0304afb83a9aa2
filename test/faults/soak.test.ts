// The short version of `npm run soak` that CI runs: the script itself, end to end
// (Redis, the server with the simulator at ×10, screens coming and going), for 15 s.
// The long run's memory verdict needs at least 10 minutes; here it must finish clean:
// figures on every line, no hole or duplicate on any screen, the server alive.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

it('runs a short soak: reports memory, event-loop delay and latency, with no hole or duplicate', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/soak.ts'], {
    env: { ...process.env, SOAK_SECONDS: '15', SOAK_CLIENTS: '40', REPORT_SECONDS: '3', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, out).toBe(0);
  const reports = out.split('\n').filter((l) => l.startsWith('t='));
  expect(reports.length, out).toBeGreaterThanOrEqual(4);
  for (const line of reports) {
    expect(line).toMatch(/rss: \d+ MB heap: \d+ MB event-loop p99: [\d.]+ ms latency p50: \d+ ms p99: \d+ ms deltas: \d+\/s screens: \d+/);
  }
  expect(out).toMatch(/^holes-or-duplicates: 0$/m);
  expect(out).toMatch(/^latency\.p99: \d+ ms$/m);
  expect(out).toMatch(/^memory\.verdict: not judged/m);
}, 90_000);
