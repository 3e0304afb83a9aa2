// The crowded-point rule: raised at the configured thresholds (by wait, or by people when
// the county sets it), and its message says where to send people on.
import { describe, expect, it } from 'vitest';
import { alertCandidates } from '../../server/domain/alert-rules.ts';
import { emptyCollections } from '../../server/schema/index.ts';
import { samplingPoint } from '../helpers/fixtures.ts';

// One desk at 60 an hour: the queue is the wait in minutes.
const at = (id: string, eastKm: number, queue: number) =>
  samplingPoint(id, { name: id, location: [95.78 + eastKm / 84.7, 40.52], queue, desks: 1, deskThroughput: 60, status: 'open', serves: 'all' });

function crowded(points: ReturnType<typeof at>[], queue?: Parameters<typeof alertCandidates>[2]['queue']) {
  const c = emptyCollections();
  for (const p of points) c.samplingPoints[p.id] = p;
  return alertCandidates(c, Date.now(), { escalation: 0.5, fixStaleMs: 120_000, ...(queue ? { queue } : {}) }).filter((a) => a.kind === 'queue-crowded');
}

describe('the crowded sampling point alert', () => {
  it('is raised at 50 minutes by default and names the nearest smooth points', () => {
    const found = crowded([at('甲', 0, 50), at('乙', 1.2, 5), at('丙', 3, 0), at('丁', 0.5, 49)]);
    expect(found.map((a) => a.subject?.id)).toEqual(['甲']);
    expect(found[0]!.message).toBe('甲排队50人，预计等待50分钟（拥堵），可引导至乙（1.2公里）、丙（3.0公里）');
    expect(found[0]!.rule).toBe('预计等待 ≥ 50分钟为拥堵');
  });

  it('follows configured thresholds, people included', () => {
    const queue = { busyMinutes: 10, congestedMinutes: 40, busyPeople: 20, congestedPeople: 30 };
    const found = crowded([at('甲', 0, 30), at('乙', 50, 0)], queue);
    expect(found.map((a) => a.subject?.id)).toEqual(['甲']);
    expect(found[0]!.message).toBe('甲排队30人，预计等待30分钟（拥堵）'); // 乙 is 50 km away: no alternative
    expect(found[0]!.rule).toBe('预计等待 ≥ 40分钟或排队 ≥ 30人为拥堵');
  });
});
