// The committed grid and road sets on Redis: grids:version, grids:geojson, grids:meta (when
// and by whom) and the `grids` channel (a set was committed: its version); roads:* likewise.
// A grid set is committed with its live changes through the apply script (apply.ts), only if
// nothing at all was written since the live state was read.
import type { z } from 'zod';
import type { Change, Delta, LiveCollections } from '../../schema/index.ts';
import { StoredSetMeta } from '../../schema/stored.ts';
import type { GridAndRoadSets, StoredGridSet, StoredRoadSet } from '../store.ts';
import type { VersionChannels } from './channel.ts';
import { MAX_UPDATE_ATTEMPTS, type RedisContext } from './context.ts';
import type { RedisLiveState } from './live-state.ts';
import { GRID_SET_ONLY_SCRIPT } from './lua.ts';

export class RedisSets implements GridAndRoadSets {
  constructor(
    private readonly ctx: RedisContext,
    private readonly live: RedisLiveState,
    private readonly channels: VersionChannels,
  ) {}

  /** A committed set's version, content and meta (`<name>:version`, `<name>:<content>`, `<name>:meta`), read in one transaction. */
  async #read(name: 'grids' | 'roads'): Promise<{ version: string; content: string; meta: z.infer<typeof StoredSetMeta> } | undefined> {
    const key = (part: string) => this.ctx.key(`${name}:${part}`);
    const results = (await this.ctx.redis.multi().get(key('version')).get(key('geojson')).get(key('meta')).exec()) ?? [];
    const [version, content, meta] = results.map(([err, value]) => {
      if (err) throw err;
      return value as string | null;
    });
    if (!version || !content) return undefined;
    let parsed: z.infer<typeof StoredSetMeta> = { committedAt: 0, by: '' };
    try {
      parsed = StoredSetMeta.parse(JSON.parse(meta ?? '{}'));
    } catch (err) {
      this.ctx.onError(`malformed ${name}:meta (kept the ${name})`, err);
    }
    return { version, content, meta: parsed };
  }

  async getGridSet(): Promise<StoredGridSet | undefined> {
    const found = await this.#read('grids');
    return found && { version: found.version, gridsJson: found.content, ...found.meta };
  }

  async gridSetVersion(): Promise<string | undefined> {
    return (await this.ctx.redis.get(this.ctx.key('grids:version'))) ?? undefined;
  }

  async commitGridSet(set: StoredGridSet, changesFor: (collections: LiveCollections) => Change[], at: number): Promise<Delta | null> {
    const meta = JSON.stringify({ committedAt: set.committedAt, by: set.by });
    const sets: [string, string][] = [
      ['grids:geojson', set.gridsJson],
      ['grids:meta', meta],
      ['grids:version', set.version],
    ];
    // Optimistic over the whole live state: written only if nothing at all was written since
    // it was read (an entity added or moved meanwhile would keep its old grid), else again.
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const { seq: read, collections } = await this.live.snapshot();
      const changes = changesFor(collections);
      if (changes.length > 0) {
        const seq = await this.live.applier.run(changes, at, [], null, { sets, publish: ['grids', set.version], seq: read });
        if (seq > 0) return { seq, at, changes };
      } else {
        // Nothing live to change (the same grids, or only their shapes): the set alone, in one step.
        const keys = ['seq', 'grids:geojson', 'grids:meta', 'grids:version'].map((name) => this.ctx.key(name));
        const done = Number(await this.ctx.redis.eval(GRID_SET_ONLY_SCRIPT, keys.length, ...keys, read, set.version, set.gridsJson, meta, this.ctx.key('grids')));
        if (done === 0) {
          await this.ctx.confirmed();
          return null;
        }
      }
      await new Promise((r) => setTimeout(r, Math.random() * (attempt + 1) * 5));
    }
    throw new Error('commitGridSet: the live state kept changing while the grid set was being committed');
  }

  onGridSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('grids', () => this.gridSetVersion(), listener);
  }

  async getRoadSet(): Promise<StoredRoadSet | undefined> {
    const found = await this.#read('roads');
    return found && { version: found.version, roadsJson: found.content, ...found.meta };
  }

  async roadSetVersion(): Promise<string | undefined> {
    return (await this.ctx.redis.get(this.ctx.key('roads:version'))) ?? undefined;
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    const key = (name: string) => this.ctx.key(name);
    // One transaction: no process reads the version of one set with the roads of another.
    const results = await this.ctx.redis
      .multi()
      .set(key('roads:geojson'), set.roadsJson)
      .set(key('roads:meta'), JSON.stringify({ committedAt: set.committedAt, by: set.by }))
      .set(key('roads:version'), set.version)
      .publish(key('roads'), set.version)
      .exec();
    if (!results) throw new Error('commitRoadSet: the transaction was aborted');
    for (const [err] of results) if (err) throw err;
    await this.ctx.confirmed();
  }

  onRoadSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('roads', () => this.roadSetVersion(), listener);
  }
}
