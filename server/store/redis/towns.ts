// The committed town set on Redis, over the shared context (its keys and reads: town-set.ts).
import { redisTownSets, type StoredTownSet, type TownSetStore } from '../town-set.ts';
import type { VersionChannels } from './channel.ts';
import type { RedisContext } from './context.ts';

export class RedisTownSets implements TownSetStore {
  constructor(
    private readonly ctx: RedisContext,
    private readonly channels: VersionChannels,
  ) {}

  #key = (name: string) => this.ctx.key(name);

  getTownSet(): Promise<StoredTownSet | undefined> {
    return redisTownSets.get(this.ctx.redis, this.#key, this.ctx.onError);
  }

  townSetVersion(): Promise<string | undefined> {
    return redisTownSets.version(this.ctx.redis, this.#key);
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    await redisTownSets.commit(this.ctx.redis, this.#key, set);
    await this.ctx.confirmed();
  }

  onTownSet(listener: (version: string) => void): Promise<() => void> {
    return this.channels.listen('towns', () => this.townSetVersion(), listener);
  }
}
