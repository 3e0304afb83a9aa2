// The committed towns and villages (a town and village import), kept apart from the rest of the
// store so the concern stays in one file: the contract both stores keep, the in-process
// keeper, and the Redis reads and writes (keys towns:version, towns:json, towns:meta and the
// `towns` channel, as the grid and road sets are kept). A committed set wins over the county's
// towns.json in every process and after restarts.
import type { Redis, Cluster } from 'ioredis';
import { z } from 'zod';

export interface StoredTownSet {
  /** The content's hash. */
  version: string;
  /** The towns and villages as JSON text (TownSet). */
  setJson: string;
  committedAt: number;
  by: string;
}

/** What both stores do with a town set (part of LiveStore). */
export interface TownSetStore {
  /** The committed town set, or undefined when none was ever committed (towns.json holds). */
  getTownSet(): Promise<StoredTownSet | undefined>;
  townSetVersion(): Promise<string | undefined>;
  /** Makes a town set the committed one in one atomic step and tells every process (onTownSet); no delta (no live entity changes). */
  commitTownSet(set: StoredTownSet): Promise<void>;
  /** Calls listener with the version of every town set committed by any process (and, after a lost connection, the stored one). */
  onTownSet(listener: (version: string) => void): Promise<() => void>;
}

/** The in-process store's town set. */
export class MemoryTownSets implements TownSetStore {
  #set: StoredTownSet | undefined;
  readonly #listeners = new Set<(version: string) => void>();

  async getTownSet(): Promise<StoredTownSet | undefined> {
    return this.#set && { ...this.#set };
  }

  async townSetVersion(): Promise<string | undefined> {
    return this.#set?.version;
  }

  async commitTownSet(set: StoredTownSet): Promise<void> {
    this.#set = { ...set };
    queueMicrotask(() => {
      for (const listener of this.#listeners) listener(set.version);
    });
  }

  async onTownSet(listener: (version: string) => void): Promise<() => void> {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const Meta = z.object({ committedAt: z.number(), by: z.string() });

/** The Redis side, over the store's command connection and key prefix. */
export const redisTownSets = {
  async get(redis: Redis | Cluster, key: (name: string) => string, onError: (what: string, err: unknown) => void): Promise<StoredTownSet | undefined> {
    const results = (await redis.multi().get(key('towns:version')).get(key('towns:json')).get(key('towns:meta')).exec()) ?? [];
    const [version, setJson, meta] = results.map(([err, value]) => {
      if (err) throw err;
      return value as string | null;
    });
    if (!version || !setJson) return undefined;
    let parsed: z.infer<typeof Meta> = { committedAt: 0, by: '' };
    try {
      parsed = Meta.parse(JSON.parse(meta ?? '{}'));
    } catch (err) {
      onError('malformed towns:meta (kept the towns)', err);
    }
    return { version, setJson, ...parsed };
  },

  async version(redis: Redis | Cluster, key: (name: string) => string): Promise<string | undefined> {
    return (await redis.get(key('towns:version'))) ?? undefined;
  },

  async commit(redis: Redis | Cluster, key: (name: string) => string, set: StoredTownSet): Promise<void> {
    // One transaction: no process reads the version of one set with the records of another.
    const results = await redis
      .multi()
      .set(key('towns:json'), set.setJson)
      .set(key('towns:meta'), JSON.stringify({ committedAt: set.committedAt, by: set.by }))
      .set(key('towns:version'), set.version)
      .publish(key('towns'), set.version)
      .exec();
    if (!results) throw new Error('commitTownSet: the transaction was aborted');
    for (const [err] of results) if (err) throw err;
  },
};
