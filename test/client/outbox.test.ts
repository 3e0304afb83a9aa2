// The tablet's outbox with a stand-in server: kept across a reload, sent in order once
// the link returns, each once, refused ones kept with the reason.
import { describe, expect, it, vi } from 'vitest';
import { Outbox, pendingQueue, type PendingOp, type SendResult } from '../../client/src/lib/outbox.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('the field outbox', () => {
  it('keeps taps while offline, survives a reload, and sends them in order once each', async () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    let online = false;
    const received: string[] = [];
    const send = async (item: PendingOp): Promise<SendResult> => {
      if (!online) return 'retry';
      received.push(item.opId);
      return 'done';
    };
    let n = 0;
    const first = new Outbox(storage, send, undefined, () => `op-${++n}`);
    first.add('SP1', { kind: 'queue-add', delta: 1 });
    first.add('SP1', { kind: 'queue-add', delta: 5 });
    await vi.runOnlyPendingTimersAsync();
    expect(first.pending.map((p) => p.opId)).toEqual(['op-1', 'op-2']);
    first.close();

    // The tablet reloads while still offline: the taps are still there.
    const second = new Outbox(storage, send, undefined, () => `op-${++n}`);
    expect(second.pending.map((p) => p.opId)).toEqual(['op-1', 'op-2']);
    second.add('SP1', { kind: 'status', status: 'paused' });
    online = true;
    await second.flush();
    expect(received).toEqual(['op-1', 'op-2', 'op-3']);
    expect(second.pending).toEqual([]);
    await second.flush();
    expect(received).toHaveLength(3);
    second.close();
    vi.useRealTimers();
  });

  it('keeps an operation the server refuses, with its reason, and goes on with the rest', async () => {
    const storage = memoryStorage();
    const results: SendResult[] = [{ refused: '该采样点不属于您负责' }, 'done'];
    const outbox = new Outbox(storage, async () => results.shift()!);
    outbox.add('SPX', { kind: 'queue-add', delta: 1 });
    outbox.add('SP1', { kind: 'queue-add', delta: 1 });
    await outbox.flush();
    expect(outbox.pending).toHaveLength(1);
    expect(outbox.pending[0]).toMatchObject({ pointId: 'SPX', error: '该采样点不属于您负责' });
    outbox.discard(outbox.pending[0]!.opId);
    expect(outbox.pending).toEqual([]);
  });

  it('shows the queue with the waiting taps applied', () => {
    const ops = [{ op: { kind: 'queue-add', delta: 5 } }, { op: { kind: 'queue-add', delta: -1 } }, { op: { kind: 'queue-add', delta: 3 }, error: 'refused' }] as PendingOp[];
    expect(pendingQueue(10, ops)).toBe(14);
    expect(pendingQueue(10, [...ops, { op: { kind: 'queue-set', value: 2 } } as PendingOp, { op: { kind: 'queue-add', delta: -5 } } as PendingOp])).toBe(0);
  });
});
