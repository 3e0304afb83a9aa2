// The key-figure history on Redis: the sorted set `history` (JSON by time) and one
// history:slot:<slot> key per slot written, which outlives the slot.
import type { HistoryLog } from '../store.ts';
import type { RedisContext } from './context.ts';

export class RedisHistory implements HistoryLog {
  constructor(private readonly ctx: RedisContext) {}

  async appendHistory(slot: string, at: number, json: string, retentionMs: number): Promise<boolean> {
    const redis = this.ctx.redis;
    const key = (name: string) => this.ctx.key(name);
    // The slot key outlives the slot, so a late process cannot write it twice.
    if ((await redis.set(key(`history:slot:${slot}`), '1', 'PX', Math.max(60_000, retentionMs), 'NX')) !== 'OK') return false;
    await redis
      .multi()
      .zadd(key('history'), at, json)
      .zremrangebyscore(key('history'), '-inf', `(${at - retentionMs}`)
      .exec();
    await this.ctx.confirmed();
    return true;
  }

  async historySince(since: number): Promise<{ at: number; json: string }[]> {
    const flat = await this.ctx.redis.zrangebyscore(this.ctx.key('history'), since, '+inf', 'WITHSCORES');
    const out: { at: number; json: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ json: flat[i]!, at: Number(flat[i + 1]) });
    return out;
  }
}
