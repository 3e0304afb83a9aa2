// The committed town set on Redis: towns:version, towns:json (the records), towns:meta (when and
// by whom) and the `towns` channel (a set was committed: its version), as the grid and road sets are kept.
import type { z } from 'zod';
import { StoredSetMeta } from '../../schema/stored.ts';
import type { StoredTownSet, TownSetStore } from '../town-set.ts';
import type { VersionChannels } from './channel.ts';
import type { RedisContext } from './context.ts';

export class RedisTownSets implements TownSetStore {
  constructor(
    private readonly ctx: RedisContext,
    private readonly channels: VersionChannels,
  ) {}

  async getTownSet(): Promise<StoredTownSet | undefined> {
    const key = (name: string) => this.ctx.key(name);
    const results = (await this.ctx.redis.multi().get(key('towns:version')).get(key('towns:json')).get(key('towns:meta')).exec()) ?? [];
    const [version, setJson, meta] = results.map(([err, value]) => {
      if (err) throw err;
      return value as string | null;
    });
    if (!version || !setJson) return undefined;
    let parsed: z.infer<typeof StoredSetMeta> = { committedAt: 0, by: '' };
    try {
      parsed = StoredSetMeta.parse(JSON.parse(meta ?? '{}'));
    } catch (err) {
      this.ctx.onError('malformed towns:meta (kept the towns)', err);
    }
    return { version, setJson, ...parsed };
  }

  async townSetVersion(): Promise<string | undefined> {
    return (await this.ctx.redis.get(this.ctx.key('towns:version'))) ?? undefined;
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    const key = (name: string) => this.ctx.key(name);
    // One transaction: no process reads the version of one set with the records of another.
    const results = await this.ctx.redis
      .multi()
      .set(key('towns:json'), set.setJson)
      .set(key('towns:meta'), JSON.stringify({ committedAt: set.committedAt, by: set.by }))
      .set(key('towns:version'), set.version)
      .publish(key('towns'), set.version)
      .exec();
    if (!results) throw new Error('commitTownSet: the transaction was aborted');
    for (const [err] of results) if (err) throw err;
    await this.ctx.confirmed();
  }

  onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('towns', () => this.townSetVersion(), listener);
  }
}
