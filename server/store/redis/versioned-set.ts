// A committed set on Redis (grids, roads, towns): `<name>:version`, `<name>:<content>` (the set
// itself), `<name>:meta` (when and by whom), read together in one transaction and committed
// together in one, with the version published on the `<name>` channel (channel.ts listens).
import type { z } from 'zod';
import { StoredSetMeta } from '../../schema/stored.ts';
import type { RedisContext } from './context.ts';

export type SetName = 'grids' | 'roads' | 'towns';
type Meta = z.infer<typeof StoredSetMeta>;

/** The set's version, content and meta; undefined when none is committed. A malformed meta is logged and read as none. */
export async function readSet(ctx: RedisContext, name: SetName, content: string): Promise<{ version: string; content: string; meta: Meta } | undefined> {
  const key = (part: string) => ctx.key(`${name}:${part}`);
  const results = (await ctx.redis.multi().get(key('version')).get(key(content)).get(key('meta')).exec()) ?? [];
  const [version, text, meta] = results.map(([err, value]) => {
    if (err) throw err;
    return value as string | null;
  });
  if (!version || !text) return undefined;
  let parsed: Meta = { committedAt: 0, by: '' };
  try {
    parsed = StoredSetMeta.parse(JSON.parse(meta ?? '{}'));
  } catch (err) {
    ctx.onError(`malformed ${name}:meta (kept the ${name})`, err);
  }
  return { version, content: text, meta: parsed };
}

export async function setVersion(ctx: RedisContext, name: SetName): Promise<string | undefined> {
  return (await ctx.redis.get(ctx.key(`${name}:version`))) ?? undefined;
}

/** Writes the set, its meta and version and publishes the version, in one transaction (no process reads one set's version with another's content), then waits for the replicas. */
export async function commitSet(ctx: RedisContext, name: SetName, content: string, set: Meta & { version: string; text: string }): Promise<void> {
  const key = (part: string) => ctx.key(`${name}:${part}`);
  const results = await ctx.redis
    .multi()
    .set(key(content), set.text)
    .set(key('meta'), JSON.stringify({ committedAt: set.committedAt, by: set.by }))
    .set(key('version'), set.version)
    .publish(ctx.key(name), set.version)
    .exec();
  if (!results) throw new Error(`committing the ${name} set: the transaction was aborted`);
  for (const [err] of results) if (err) throw err;
  await ctx.confirmed();
}
