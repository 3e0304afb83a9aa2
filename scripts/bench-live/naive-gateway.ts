// The naive fan-out bench:live measures the board against: every screen served on its own,
// with no classes, no batched snapshots and no moves, one message per change, each vehicle
// whole, under its delta's seq (so a screen would keep only the first of a delta's changes:
// for the benchmark alone, never for a board).
import type { Delta } from '../../server/schema/index.ts';
import { LiveGateway, type LiveClient } from '../../server/realtime/gateway.ts';

export class NaiveGateway extends LiveGateway {
  protected override readonly batchesSnapshots = false;

  protected override markMoves(): void {}

  protected override join(): void {}

  protected override send(client: LiveClient, delta: Delta): void {
    const mine = this.viewOf(client, delta);
    if (mine.seq <= client.sentSeq) return;
    for (const change of mine.changes) {
      if (this.overLimit(client)) return;
      this.counts.messages++;
      client.socket.emit('delta', { seq: mine.seq, at: mine.at, changes: [change] });
    }
    client.sentSeq = mine.seq;
  }
}
