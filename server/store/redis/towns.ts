// The committed town set on Redis: towns:version, towns:json (the records), towns:meta (when and
// by whom) and the `towns` channel (a set was committed: its version), as the grid and road sets are kept.
import type { StoredTownSet, TownSetStore } from '../town-set.ts';
import type { VersionChannels } from './channel.ts';
import type { RedisContext } from './context.ts';
import { commitSet, readSet, setVersion } from './versioned-set.ts';

export class RedisTownSets implements TownSetStore {
  constructor(
    private readonly ctx: RedisContext,
    private readonly channels: VersionChannels,
  ) {}

  async getTownSet(): Promise<StoredTownSet | undefined> {
    const found = await readSet(this.ctx, 'towns', 'json');
    return found && { version: found.version, setJson: found.content, ...found.meta };
  }

  townSetVersion(): Promise<string | undefined> {
    return setVersion(this.ctx, 'towns');
  }

  commitTownSet(set: StoredTownSet): Promise<void> {
    return commitSet(this.ctx, 'towns', 'json', { ...set, text: set.setJson });
  }

  onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('towns', () => this.townSetVersion(), listener);
  }
}
