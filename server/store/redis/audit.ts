// The audit log on Redis: the stream `audit`, one entry (field json) per change, trimmed by age
// (MINID, on the app's clock) and, given maxEntries, by length.
import type { AuditLog } from '../store.ts';
import type { RedisContext } from './context.ts';

export class RedisAuditLog implements AuditLog {
  constructor(private readonly ctx: RedisContext) {}

  async appendAudit(json: string, at: number, retentionMs: number, maxEntries?: number): Promise<string> {
    const key = this.ctx.key('audit');
    // Ids in time order from Redis (`<ms>-<n>`); entries older than the retention, by the app's clock, are trimmed,
    // and (XADD takes one trimming rule) the oldest beyond maxEntries in the same transaction.
    const tx = this.ctx.redis.multi().xadd(key, 'MINID', '~', String(Math.max(0, at - retentionMs)), '*', 'json', json);
    if (maxEntries !== undefined) tx.xtrim(key, 'MAXLEN', '~', maxEntries);
    const results = await tx.exec();
    if (!results) throw new Error('audit append aborted');
    // A command failing inside MULTI (WRONGTYPE, OOM) comes back as its result, not as a rejection.
    for (const [err] of results) if (err) throw err;
    await this.ctx.confirmed();
    return results[0]![1] as string;
  }

  async auditPage(limit: number, before?: string): Promise<{ id: string; json: string }[]> {
    const entries = await this.ctx.redis.xrevrange(this.ctx.key('audit'), before ? `(${before}` : '+', '-', 'COUNT', limit);
    return entries.map(([id, fields]) => ({ id, json: fields[fields.indexOf('json') + 1] ?? '{}' }));
  }
}
