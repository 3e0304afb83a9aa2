// The sample county's laboratory: which batches the sampling points send (mostly
// voluntary testing, some clinical, a few from fever clinics) and how long the lab
// takes with each: most well within the limit, about one in ten past it.
import { TURNAROUND } from '../domain/turnaround.ts';
import type { SampleCategory } from '../schema/index.ts';

export function batchCategory(random: () => number): SampleCategory {
  const r = random();
  return r < 0.1 ? 'fever-emergency' : r < 0.3 ? 'clinical' : 'voluntary';
}

export function batchSize(random: () => number): number {
  return 20 + Math.floor(random() * 180);
}

/** How long (real ms) the lab takes with a batch; `speed` runs simulated time faster. */
export function labDelayMs(category: SampleCategory, random: () => number, speed: number): number {
  const { limitMs } = TURNAROUND[category];
  const share = random() < 0.1 ? 1.05 + 0.3 * random() : 0.3 + 0.6 * random();
  return (limitMs * share) / speed;
}
