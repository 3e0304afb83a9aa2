import { describe, expect, it } from 'vitest';
import { coalesce } from '../../server/realtime/coalesce.ts';
import { applyChanges, emptyCollections, type Change, type Delta } from '../../server/schema/index.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';

const upsertAmb = (a: ReturnType<typeof ambulance>): Change => ({ op: 'upsert', collection: 'ambulances', entity: a });
const d = (seq: number, ...changes: Change[]): Delta => ({ seq, at: seq * 10, changes });

describe('coalescing deltas into a frame', () => {
  it('keeps only the latest position of a vehicle that only moved', () => {
    const frame = coalesce([
      d(5, upsertAmb(ambulance('A', 95.1, 40.1))),
      d(6, upsertAmb(ambulance('A', 95.2, 40.1, { gridId: 'G2' }))),
      d(7, upsertAmb(ambulance('A', 95.3, 40.1))),
    ]);
    expect(frame).toMatchObject({ from: 5, seq: 7, at: 70 });
    expect(frame.changes).toEqual([upsertAmb(ambulance('A', 95.3, 40.1))]);
  });

  it('never drops a status change: the statuses in between stay, in order', () => {
    const frame = coalesce([
      d(1, upsertAmb(ambulance('A', 95.1, 40.1, { status: 'transporting' }))),
      d(2, upsertAmb(ambulance('A', 95.2, 40.1, { status: 'handed-over' }))),
      d(3, upsertAmb(ambulance('A', 95.2, 40.1, { status: 'disinfecting' }))),
      d(4, upsertAmb(ambulance('A', 95.3, 40.1, { status: 'disinfecting' }))),
    ]);
    const statuses = frame.changes.map((c) => (c.op === 'upsert' && c.collection === 'ambulances' ? c.entity.status : null));
    expect(statuses).toEqual(['transporting', 'handed-over', 'disinfecting']);
    // The last disinfecting entry carries the latest position.
    expect(frame.changes[2]).toEqual(upsertAmb(ambulance('A', 95.3, 40.1, { status: 'disinfecting' })));
  });

  it('keeps every queue count and removal; the result equals applying the deltas one by one', () => {
    const deltas = [
      d(1, { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('p', { queue: 1 }) }, upsertAmb(ambulance('A', 95, 40))),
      d(2, { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('p', { queue: 2 }) }, upsertAmb(ambulance('B', 95, 40))),
      d(3, upsertAmb(ambulance('A', 95.5, 40)), { op: 'remove', collection: 'ambulances', id: 'B' }),
      d(4, upsertAmb(ambulance('B', 96, 40))),
    ];
    const frame = coalesce(deltas);
    expect(frame.changes.filter((c) => c.collection === 'samplingPoints')).toHaveLength(2);
    const oneByOne = emptyCollections();
    for (const x of deltas) applyChanges(oneByOne, x.changes);
    const framed = emptyCollections();
    applyChanges(framed, frame.changes);
    expect(framed).toEqual(oneByOne);
  });

  it('passes a single delta through and refuses none', () => {
    const one = d(9, upsertAmb(ambulance('A', 95, 40)));
    expect(coalesce([one])).toBe(one);
    expect(() => coalesce([])).toThrow(/no deltas/);
  });
});
