// The group commit behind the JT/T 808 gateway: fixes arriving during a write go
// together in the next, the newest per unit; each caller is answered by its write.
import { describe, expect, it } from 'vitest';
import { PositionBatcher, type UnitFix } from '../../server/ingest/position-batcher.ts';

const fix = (ambulanceId: string, at: number): UnitFix => ({ ambulanceId, fix: { lng: 95.78, lat: 40.52, at, speed: 40, heading: 90 } });

/** A write the test finishes by hand, recording what each write was given. */
function manualWriter() {
  const writes: UnitFix[][] = [];
  const finish: ((err?: Error) => void)[] = [];
  const write = (fixes: UnitFix[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push(fixes);
      finish.push((err) => (err ? reject(err) : resolve()));
    });
  return { writes, finish, write };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PositionBatcher', () => {
  it('writes at once when idle, then everything that arrived meanwhile in one write, newest fix per unit', async () => {
    const w = manualWriter();
    const batcher = new PositionBatcher(w.write);
    const done: string[] = [];
    const first = batcher.write([fix('A', 1000)]).then(() => done.push('first'));
    await tick();
    expect(w.writes).toEqual([[fix('A', 1000)]]);
    const second = batcher.write([fix('A', 3000)]).then(() => done.push('second'));
    const third = batcher.write([fix('B', 2000), fix('A', 2000)]).then(() => done.push('third'));
    await tick();
    expect(w.writes).toHaveLength(1); // one write in flight at a time
    w.finish[0]!();
    await first;
    await tick();
    expect(done).toEqual(['first']);
    expect(w.writes[1]).toEqual([fix('A', 3000), fix('B', 2000)]);
    w.finish[1]!();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
  });

  it('fails the callers of a failed write only', async () => {
    const w = manualWriter();
    const batcher = new PositionBatcher(w.write);
    const failed = batcher.write([fix('A', 1000)]);
    await tick();
    const later = batcher.write([fix('B', 1000)]);
    w.finish[0]!(new Error('store down'));
    await expect(failed).rejects.toThrow('store down');
    await tick();
    w.finish[1]!();
    await expect(later).resolves.toBeUndefined();
  });

  it('takes callers into one write up to maxUnits units, the rest in the next', async () => {
    const w = manualWriter();
    const batcher = new PositionBatcher(w.write, 2);
    const calls = [batcher.write([fix('A', 1)])];
    await tick();
    calls.push(batcher.write([fix('B', 1)]), batcher.write([fix('C', 1)]), batcher.write([fix('D', 1)]));
    w.finish[0]!();
    await tick();
    expect(w.writes[1]!.map((f) => f.ambulanceId)).toEqual(['B', 'C']);
    w.finish[1]!();
    await tick();
    expect(w.writes[2]!.map((f) => f.ambulanceId)).toEqual(['D']);
    w.finish[2]!();
    await Promise.all(calls);
    expect(await batcher.write([])).toBeUndefined();
  });
});

describe('PositionBatcher with two writes in flight', () => {
  it('starts the next write while one is in flight, and answers each caller by its own write', async () => {
    const w = manualWriter();
    const batcher = new PositionBatcher(w.write, 2000, 2);
    const done: string[] = [];
    const first = batcher.write([fix('A', 1000)]).then(() => done.push('first'));
    await tick();
    const second = batcher.write([fix('B', 1000)]).then(() => done.push('second'));
    await tick();
    expect(w.writes).toEqual([[fix('A', 1000)], [fix('B', 1000)]]);
    const third = batcher.write([fix('C', 1000)]).then(() => done.push('third'));
    await tick();
    expect(w.writes).toHaveLength(2); // no more than two
    w.finish[1]!();
    await second;
    await tick();
    expect(done).toEqual(['second']);
    expect(w.writes[2]).toEqual([fix('C', 1000)]);
    w.finish[0]!();
    w.finish[2]!();
    await Promise.all([first, third]);
    expect(done.sort()).toEqual(['first', 'second', 'third']);
  });
});
