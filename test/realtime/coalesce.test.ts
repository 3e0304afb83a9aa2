import { describe, expect, it } from 'vitest';
import { coalesce } from '../../server/realtime/coalesce.ts';
import { isMove, markMoves, toWire } from '../../server/realtime/moves.ts';
import { applyChanges, applyDelta, emptyCollections, type Change, type Delta, type LiveCollections } from '../../server/schema/index.ts';
import { ambulance, samplingPoint } from '../helpers/fixtures.ts';

const upsertAmb = (a: ReturnType<typeof ambulance>): Change => ({ op: 'upsert', collection: 'ambulances', entity: a });

/** Deltas as the gateway sees them: each marked against the state before it, as the replica does. */
function stream(...changes: Change[][]): Delta[] {
  const state = emptyCollections();
  return changes.map((cs, i) => {
    const delta: Delta = { seq: i + 1, at: (i + 1) * 10, changes: cs };
    markMoves(delta, (id) => state.ambulances[id]);
    applyChanges(state, cs);
    return delta;
  });
}

const rebuild = (deltas: Delta[], start: LiveCollections = emptyCollections()) => {
  const s = structuredClone(start);
  for (const d of deltas) applyDelta(s, d);
  return s;
};

describe('coalescing deltas into a frame', () => {
  it('marks a vehicle that only moved, and a frame keeps only its latest position, sent as a move', () => {
    const deltas = stream([upsertAmb(ambulance('A', 95.1, 40.1))], [upsertAmb(ambulance('A', 95.2, 40.1, { gridId: 'G2' }))], [upsertAmb(ambulance('A', 95.3, 40.1))]);
    expect(deltas.map((d) => isMove(d.changes[0]!))).toEqual([false, true, true]);
    // From the second on: the screen holds A already.
    const frame = coalesce(deltas.slice(1));
    expect(frame).toMatchObject({ from: 2, seq: 3, at: 30 });
    const wire = toWire(frame);
    expect(wire.changes).toEqual([]);
    const a = ambulance('A', 95.3, 40.1);
    expect(wire.moves).toEqual([[a.id, a.fix!.lng, a.fix!.lat, a.fix!.at, a.fix!.speed, a.fix!.heading, a.gridId, a.updatedAt]]);
    // A move is far smaller than the vehicle it stands for.
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(coalesce([deltas[2]!]).changes).length);
    expect(rebuild([wire], rebuild([deltas[0]!]))).toEqual(rebuild(deltas));
  });

  it('never drops a status change: the statuses in between stay, in order, the last with the latest position', () => {
    const deltas = stream(
      [upsertAmb(ambulance('A', 95.1, 40.1, { status: 'transporting' }))],
      [upsertAmb(ambulance('A', 95.2, 40.1, { status: 'handed-over' }))],
      [upsertAmb(ambulance('A', 95.2, 40.1, { status: 'disinfecting' }))],
      [upsertAmb(ambulance('A', 95.3, 40.1, { status: 'disinfecting' }))],
    );
    const frame = toWire(coalesce(deltas));
    const statuses = frame.changes.map((c) => (c.op === 'upsert' && c.collection === 'ambulances' ? c.entity.status : null));
    expect(statuses).toEqual(['transporting', 'handed-over', 'disinfecting']);
    expect(frame.changes[2]).toEqual(upsertAmb(ambulance('A', 95.3, 40.1, { status: 'disinfecting' })));
    expect(frame.moves).toBeUndefined();
  });

  it('a whole change after a move makes the move needless: it is not sent to undo the change', () => {
    const deltas = stream([upsertAmb(ambulance('A', 95.1, 40.1))], [upsertAmb(ambulance('A', 95.2, 40.1))], [upsertAmb(ambulance('A', 95.3, 40.1, { status: 'dispatched' }))]);
    const wire = toWire(coalesce(deltas.slice(1)));
    expect(wire.moves).toBeUndefined();
    expect(wire.changes).toEqual([upsertAmb(ambulance('A', 95.3, 40.1, { status: 'dispatched' }))]);
    // Two changes of one vehicle in one delta: compared with each other.
    const [one] = stream([upsertAmb(ambulance('B', 95, 40)), upsertAmb(ambulance('B', 95.5, 40))]);
    expect(one!.changes.map(isMove)).toEqual([false, true]);
    expect(toWire(coalesce([one!])).changes).toEqual([upsertAmb(ambulance('B', 95.5, 40))]);
  });

  it('keeps every queue count and removal; the result equals applying the deltas one by one', () => {
    const deltas = stream(
      [{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('p', { queue: 1 }) }, upsertAmb(ambulance('A', 95, 40))],
      [{ op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('p', { queue: 2 }) }, upsertAmb(ambulance('B', 95, 40))],
      [upsertAmb(ambulance('A', 95.5, 40)), { op: 'remove', collection: 'ambulances', id: 'B' }],
      [upsertAmb(ambulance('B', 96, 40))],
      [upsertAmb(ambulance('A', 95.6, 40)), upsertAmb(ambulance('B', 96.1, 40))],
    );
    const frame = toWire(coalesce(deltas));
    expect(frame.changes.filter((c) => c.collection === 'samplingPoints')).toHaveLength(2);
    expect(rebuild([frame])).toEqual(rebuild(deltas));
    // Framed from the middle, onto the state the screen holds there.
    expect(rebuild([toWire(coalesce(deltas.slice(2)))], rebuild(deltas.slice(0, 2)))).toEqual(rebuild(deltas));
  });

  it('passes a single delta with no move through and refuses none', () => {
    const [one] = stream([upsertAmb(ambulance('A', 95, 40))]);
    expect(coalesce([one!])).toBe(one);
    expect(toWire(one!)).toBe(one);
    expect(() => coalesce([])).toThrow(/no deltas/);
  });
});
