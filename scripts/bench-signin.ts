// `tsx scripts/bench-signin.ts`: how long a refused sign-in takes for an unknown, a
// disabled and an existing account with a wrong password (all three should cost one
// scrypt, so the time tells no username). Prints one `name: value unit` line per figure.
import { ensureDemoAccounts, signIn } from '../server/auth/accounts.ts';
import { MemoryStore } from '../server/store/memory-store.ts';

const RUNS = 30;
const ttls = { sessionTtlMs: 60_000, wallSessionTtlMs: 60_000 };
const store = new MemoryStore();
await ensureDemoAccounts(store, 'bench-password', 0);
await store.putUser({ ...(await store.getUser('wall'))!, disabled: true });

for (const [name, username] of [
  ['unknown', 'nobody'],
  ['disabled', 'wall'],
  ['wrong-password', 'commander'],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await signIn(store, username, 'not-the-password', ttls, 0);
    times.push(performance.now() - start);
  }
  const mean = times.reduce((a, b) => a + b, 0) / RUNS;
  const std = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / RUNS);
  console.log(`signin-refused-${name}: ${mean.toFixed(1)}±${std.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)})`);
}
