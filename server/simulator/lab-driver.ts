// The sample county's lab: batches of samples leave the sampling points (about one every
// five simulated minutes) and the lab reports each when it is due (lab.ts says how long a
// category takes). An empty county starts with the last ten hours' batches, so the board
// shows turnaround from the first second, two of them overdue.
import type { SampleBatch } from '../schema/index.ts';
import type { SampleBatches } from '../services/sample-batches.ts';
import { batchCategory, batchSize, labDelayMs } from './lab.ts';

type Existing = Record<string, { id: string; category: SampleBatch['category']; collectedAt: number; resultedAt: number | null }>;

export class LabDriver {
  /** Batches waiting for the lab, and when the lab will report each. */
  private readonly due = new Map<string, number>();

  /** `pick` chooses a sampling point with the simulator's own random sequence (shared, so a seed makes one run). */
  constructor(
    private readonly batches: SampleBatches,
    private readonly options: { random: () => number; speed: number; pickPoint: () => string | undefined },
  ) {}

  /** Batches already waiting get a report time; an empty county gets the last ten hours' batches. */
  async start(existing: Existing, now: number): Promise<void> {
    const { random, speed } = this.options;
    const waiting = Object.values(existing).filter((b) => b.resultedAt === null);
    for (const b of waiting) this.due.set(b.id, b.collectedAt + labDelayMs(b.category, random, 1));
    if (Object.keys(existing).length > 0) return;
    for (let i = 0; i < 16; i++) {
      const category = i < 2 ? 'fever-emergency' : batchCategory(random);
      // The first two: fever-clinic batches collected 7 h ago and still waiting (overdue).
      const collectedAt = i < 2 ? now - 7 * 3_600_000 - i * 600_000 : now - Math.floor(random() * 10 * 3_600_000);
      const made = await this.batches.create({ samplingPointId: this.options.pickPoint()!, category, samples: batchSize(random), collectedAt });
      if (!made.ok) continue;
      const due = i < 2 ? now + 3_600_000 / speed : collectedAt + labDelayMs(category, random, 1);
      if (due <= now) await this.batches.result(made.value.id, due);
      else this.due.set(made.value.id, due);
    }
  }

  /** About one batch every five simulated minutes (when the county has points); the lab reports those that are due. */
  async step(now: number, seconds: number, hasPoints: boolean): Promise<void> {
    const { random, speed } = this.options;
    if (random() < seconds / 300 && hasPoints) {
      const category = batchCategory(random);
      const made = await this.batches.create({ samplingPointId: this.options.pickPoint()!, category, samples: batchSize(random) });
      if (made.ok) this.due.set(made.value.id, now + labDelayMs(category, random, speed));
    }
    for (const [id, due] of this.due) {
      if (due > now) continue;
      this.due.delete(id);
      await this.batches.result(id, now);
    }
  }
}
