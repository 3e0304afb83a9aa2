// Test turnaround through the server on a real Redis with a fake clock: batches sent
// (a field lead from their own points only), reported by the lab once, counted in the
// indicators, and a fever-clinic batch past 6 h raising a critical alert that resolves
// itself when the lab reports.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Indicators } from '../../server/domain/indicators.ts';
import type { SampleBatch } from '../../server/schema/index.ts';
import { alertIdOf } from '../../server/services/alerts.ts';
import { useServer } from '../helpers/use-server.ts';

const H = 3_600_000;

describe('sample batches', () => {
  let now = Date.now();
  const env = useServer({ redis: true, roles: ['field', 'commander', 'dispatcher'], clock: () => now });
  let own: string[];
  beforeAll(async () => {
    own = (await env.srv.store.getUser('field'))!.samplingPoints!;
  });
  const post = async (role: string, path: string, body: unknown) => {
    const res = await fetch(`${env.srv.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.tokens[role]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data: SampleBatch; error?: string } };
  };
  const turnaround = async () =>
    ((await (await fetch(`${env.srv.url}/api/indicators`, { headers: { authorization: `Bearer ${env.tokens.commander}` } })).json()) as { data: Indicators }).data.turnaround;

  it('takes a batch from a field lead’s own point, stamped with its name and grid; not from another', async () => {
    const point = (await env.srv.store.get('samplingPoints', own[0]!))!;
    const made = await post('field', '/api/sample-batches', { samplingPointId: point.id, category: 'voluntary', samples: 120 });
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({ samplingPointId: point.id, source: point.name, gridId: point.gridId, samples: 120, collectedAt: now, resultedAt: null });
    expect(await env.srv.store.get('sampleBatches', made.body.data.id)).toEqual(made.body.data);
    const others = Object.keys((await env.srv.store.snapshot()).collections.samplingPoints).filter((id) => !own.includes(id));
    expect((await post('field', '/api/sample-batches', { samplingPointId: others[0], category: 'voluntary', samples: 10 })).status).toBe(403);
    expect((await post('field', '/api/sample-batches', { source: '某诊所', category: 'voluntary', samples: 10 })).status).toBe(403);
    expect((await post('dispatcher', '/api/sample-batches', { source: '某诊所', category: 'voluntary', samples: 10 })).status).toBe(403);
  });

  it('refuses bad batches with a 400 and keeps nothing', async () => {
    const before = Object.keys((await env.srv.store.snapshot()).collections.sampleBatches).length;
    for (const body of [
      { category: 'voluntary', samples: 10 }, // no point, no source
      { source: '某诊所', category: 'pcr', samples: 10 },
      { source: '某诊所', category: 'voluntary', samples: 0 },
      { source: '某诊所', category: 'voluntary', samples: 10, collectedAt: now + 10 * 60_000 },
      { source: '某诊所', category: 'voluntary', samples: 10, collectedAt: now - 8 * 24 * H },
      { source: '某诊所', category: 'voluntary', samples: 10, extra: 1 },
    ]) {
      expect((await post('commander', '/api/sample-batches', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await post('commander', '/api/sample-batches', { samplingPointId: 'NOPE', category: 'voluntary', samples: 1 })).status).toBe(404);
    expect(Object.keys((await env.srv.store.snapshot()).collections.sampleBatches).length).toBe(before);
  });

  it('raises a critical alert for a fever-clinic batch past 6 h, which resolves when the lab reports', async () => {
    const fever = await post('commander', '/api/sample-batches', { source: '县医院发热门诊', category: 'fever-emergency', samples: 8, collectedAt: now - 5 * H });
    expect(fever.status).toBe(201);
    const id = alertIdOf(`turnaround-overdue:${fever.body.data.id}`);
    await env.srv.app.alerts.evaluate();
    expect(await env.srv.store.get('alerts', id)).toBeUndefined(); // 5 h: due soon, not overdue
    expect(await turnaround()).toMatchObject({ waiting: 2, dueSoon: 1, overdue: 0 });

    now += H + 1; // 6 h and a millisecond
    await env.srv.app.alerts.evaluate();
    expect(await env.srv.store.get('alerts', id)).toMatchObject({ kind: 'turnaround-overdue', severity: 'critical', status: 'open' });
    expect((await env.srv.store.get('alerts', id))!.message).toMatch(/县医院发热门诊送检8份（发热门诊\/急诊）已6小时未出结果，超过6小时时限/);
    expect(await turnaround()).toMatchObject({ waiting: 2, overdue: 1 });

    expect((await post('field', `/api/sample-batches/${fever.body.data.id}/result`, {})).status).toBe(403);
    const resulted = await post('commander', `/api/sample-batches/${fever.body.data.id}/result`, {});
    expect(resulted.status).toBe(200);
    expect(resulted.body.data.resultedAt).toBe(now);
    expect((await post('commander', `/api/sample-batches/${fever.body.data.id}/result`, {})).status).toBe(409);
    await env.srv.app.alerts.evaluate();
    expect(await env.srv.store.get('alerts', id)).toMatchObject({ status: 'resolved', resolved: { by: 'auto' } });
    expect(await turnaround()).toMatchObject({ waiting: 1, overdue: 0, resulted24h: 1, late24h: 1 });
  });

  it('forgets batches resulted over two days ago', async () => {
    now += 2 * 24 * H + 1;
    expect(await env.srv.app.sampleBatches.prune()).toBe(1);
    expect(Object.values((await env.srv.store.snapshot()).collections.sampleBatches).map((b) => b.resultedAt)).toEqual([null]);
  });
});
