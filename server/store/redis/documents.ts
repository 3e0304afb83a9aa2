// Documents on Redis: doc:<kind>, a hash id → JSON (doc:report: the daily reports by date;
// doc:report-index: their listings).
import type { Documents } from '../store.ts';
import type { RedisContext } from './context.ts';

export class RedisDocuments implements Documents {
  constructor(private readonly ctx: RedisContext) {}

  async putDocument(kind: string, id: string, json: string): Promise<void> {
    await this.ctx.redis.hset(this.ctx.key(`doc:${kind}`), id, json);
    await this.ctx.confirmed();
  }

  async getDocument(kind: string, id: string): Promise<string | undefined> {
    return (await this.ctx.redis.hget(this.ctx.key(`doc:${kind}`), id)) ?? undefined;
  }

  async getDocuments(kind: string): Promise<{ id: string; json: string }[]> {
    const all = await this.ctx.redis.hgetall(this.ctx.key(`doc:${kind}`));
    return Object.entries(all)
      .map(([id, json]) => ({ id, json }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
