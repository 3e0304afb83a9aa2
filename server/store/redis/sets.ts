// The committed grid and road sets on Redis: grids:version, grids:geojson, grids:meta (when
// and by whom) and the `grids` channel (a set was committed: its version); roads:* likewise
// (versioned-set.ts reads and commits them).
// A grid set is committed with its live changes through the apply script (apply.ts), only if
// nothing at all was written since the live state was read.
import type { Change, Delta, LiveCollections } from '../../schema/index.ts';
import type { GridAndRoadSets, StoredGridSet, StoredRoadSet } from '../store.ts';
import type { VersionChannels } from './channel.ts';
import { MAX_UPDATE_ATTEMPTS, type RedisContext } from './context.ts';
import type { RedisLiveState } from './live-state.ts';
import { GRID_SET_ONLY_SCRIPT } from './lua.ts';
import { commitSet, readSet, setVersion } from './versioned-set.ts';

export class RedisSets implements GridAndRoadSets {
  constructor(
    private readonly ctx: RedisContext,
    private readonly live: RedisLiveState,
    private readonly channels: VersionChannels,
  ) {}

  async getGridSet(): Promise<StoredGridSet | undefined> {
    const found = await readSet(this.ctx, 'grids', 'geojson');
    return found && { version: found.version, gridsJson: found.content, ...found.meta };
  }

  async gridSetVersion(): Promise<string | undefined> {
    return setVersion(this.ctx, 'grids');
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
    const found = await readSet(this.ctx, 'roads', 'geojson');
    return found && { version: found.version, roadsJson: found.content, ...found.meta };
  }

  async roadSetVersion(): Promise<string | undefined> {
    return setVersion(this.ctx, 'roads');
  }

  async commitRoadSet(set: StoredRoadSet): Promise<void> {
    await commitSet(this.ctx, 'roads', 'geojson', { ...set, text: set.roadsJson });
  }

  onRoadSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('roads', () => this.roadSetVersion(), listener);
  }
}
