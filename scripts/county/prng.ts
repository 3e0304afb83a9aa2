// The generator's random helpers over the project's one seeded PRNG (mulberry32,
// a fixed algorithm: the reproducibility test catches any change to it).
import { mulberry32 } from '../../server/simulator/random.ts';

export { mulberry32 };
export type Random = () => number;

/** A uniform integer in [min, max]. */
export const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** Largest-remainder rounding of non-negative weights to integers summing to total. */
export function apportion(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  // Ties broken by index, so the result never depends on sort stability.
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  return out;
}
