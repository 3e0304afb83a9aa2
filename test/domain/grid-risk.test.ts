// Sealing a grid controls its neighbours below 管控区; nothing else moves.
import { describe, expect, it } from 'vitest';
import { riskChanges } from '../../server/domain/grid-risk.ts';
import type { GridStatus, RiskLevel } from '../../server/schema/index.ts';

const state =
  (levels: Record<string, RiskLevel>) =>
  (id: string): GridStatus | undefined =>
    levels[id] ? { id, risk: levels[id], updatedAt: 0 } : undefined;

describe('grid risk changes', () => {
  const levels = state({ g: 'low', a: 'low', b: 'precaution', c: 'medium', d: 'controlled', e: 'high', f: 'sealed' });
  const all = ['a', 'b', 'c', 'd', 'e', 'f', 'unknown'];

  it('seals a grid and controls each neighbour below 管控区 (low, precaution, medium, none)', () => {
    expect(riskChanges('g', 'sealed', all, levels, true)).toEqual([
      { id: 'g', risk: 'sealed', cascaded: false },
      { id: 'a', risk: 'controlled', cascaded: true },
      { id: 'b', risk: 'controlled', cascaded: true },
      { id: 'c', risk: 'controlled', cascaded: true },
      { id: 'unknown', risk: 'controlled', cascaded: true },
    ]);
  });

  it('leaves the neighbours alone when asked to, or for any other level', () => {
    expect(riskChanges('g', 'sealed', all, levels, false)).toEqual([{ id: 'g', risk: 'sealed', cascaded: false }]);
    expect(riskChanges('g', 'controlled', all, levels, true)).toEqual([{ id: 'g', risk: 'controlled', cascaded: false }]);
    expect(riskChanges('f', 'low', all, levels, true)).toEqual([{ id: 'f', risk: 'low', cascaded: false }]);
  });

  it('changes nothing for the level a grid already has, but still controls its neighbours', () => {
    expect(riskChanges('f', 'sealed', ['d', 'e'], levels, true)).toEqual([]);
    expect(riskChanges('f', 'sealed', ['a'], levels, true)).toEqual([{ id: 'a', risk: 'controlled', cascaded: true }]);
  });
});
