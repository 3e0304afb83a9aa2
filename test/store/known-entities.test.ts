import { describe, expect, it } from 'vitest';
import { KnownEntities } from '../../server/store/known-entities.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

describe('what a process knows of the entities it wrote', () => {
  it('moves each expected entity one version on per change, to its last state, and forgets the unexpected', () => {
    const known = new KnownEntities();
    known.set('samplingPoints', 'a', 4, samplingPoint('a'));
    known.set('samplingPoints', 'c', 9, samplingPoint('c'));
    known.written(
      [
        { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('a', { queue: 1 }) },
        { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('a', { queue: 2 }) },
        { op: 'remove', collection: 'samplingPoints', id: 'b' },
        { op: 'upsert', collection: 'samplingPoints', entity: samplingPoint('c', { queue: 3 }) },
      ],
      [
        ['samplingPoints', 'a', 4],
        ['samplingPoints', 'b', 0],
      ],
    );
    expect(known.get('samplingPoints', 'a')).toMatchObject({ version: 6, entity: { queue: 2 } });
    expect(known.get('samplingPoints', 'b')).toEqual({ version: 1, entity: undefined });
    expect(known.get('samplingPoints', 'c')).toBeUndefined(); // written without its version expected
  });

  it('keeps at most its bound, forgetting the oldest', () => {
    const known = new KnownEntities(2);
    known.set('hotels', 'x', 1, undefined);
    known.set('hotels', 'y', 1, undefined);
    known.set('hotels', 'x', 2, undefined); // seen again: the youngest now
    known.set('hotels', 'z', 1, undefined);
    expect(known.get('hotels', 'y')).toBeUndefined();
    expect(known.get('hotels', 'x')?.version).toBe(2);
    expect(known.get('hotels', 'z')?.version).toBe(1);
  });

  it('freezes what it keeps, all the way down', () => {
    const known = new KnownEntities();
    const point = samplingPoint('f');
    known.set('samplingPoints', 'f', 1, point);
    expect(() => {
      point.stock.swabs = 0;
    }).toThrow(TypeError);
  });
});
