// Vehicle terminals on Redis (see terminal-store.ts). Keys, under the store's prefix:
//   terminals:bindings   hash     ambulance id → its binding (JSON)
//   terminals:version    string   the set's version, bumped by every write
//   terminals            channel  a write happened (the message is the new version)
//   terminals:unknown    hash     kind:identity → the unknown terminal (JSON)
//   terminals:unknown-seen sorted set  kind:identity by last sighting, trimmed to the cap
// Every key a script touches comes in KEYS (a Redis Cluster routes it by the prefix's hash tag).
import { StoredVehicleTerminals, type StoredUnknownTerminal, type TerminalKind } from '../../schema/terminals.ts';
import { unknownField, type BindingWrite, type TerminalBindingSet, type TerminalStore } from '../terminal-store.ts';
import type { VersionChannels } from './channel.ts';
import type { RedisContext } from './context.ts';

/** KEYS: version, bindings. ARGV: expected version, channel, then (ambulance id, JSON or '' to remove)…  → the new version, or -1. */
const WRITE_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return -1 end
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[2], ARGV[i]) else redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
local version = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[2], tostring(version))
return version
`;

/**
 * KEYS: unknown, unknown-seen. ARGV: field, the sighting (JSON), its time, cap. Merged as
 * terminal-store.ts mergeUnknown does (messages added, first sighting and known facts kept).
 */
const RECORD_UNKNOWN_SCRIPT = `
local seen = cjson.decode(ARGV[2])
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local kept = cjson.decode(old)
  seen.messages = seen.messages + (tonumber(kept.messages) or 0)
  if kept.firstSeen and kept.firstSeen < seen.firstSeen then seen.firstSeen = kept.firstSeen end
  for _, f in ipairs({'lastPosition', 'terminalId', 'plate', 'keyHash'}) do
    if (seen[f] == nil or seen[f] == cjson.null) and kept[f] ~= nil then seen[f] = kept[f] end
  end
  if kept.hasKey == true then seen.hasKey = true end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(seen))
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local gone = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  for _, f in ipairs(gone) do redis.call('HDEL', KEYS[1], f) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
return 1
`;

export class RedisTerminalStore implements TerminalStore {
  constructor(
    private readonly ctx: RedisContext,
    private readonly channels: VersionChannels,
  ) {}

  async bindingSet(): Promise<TerminalBindingSet> {
    const results = (await this.ctx.redis.multi().get(this.ctx.key('terminals:version')).hgetall(this.ctx.key('terminals:bindings')).exec()) ?? [];
    const [[, version], [, all]] = results as [[unknown, string | null], [unknown, Record<string, string>]];
    const vehicles = new Map<string, StoredVehicleTerminals>();
    for (const [id, json] of Object.entries(all ?? {})) {
      try {
        vehicles.set(id, StoredVehicleTerminals.parse(JSON.parse(json)));
      } catch (err) {
        // Unreadable: that vehicle is not bound (logged), the others are.
        this.ctx.onError(`malformed terminals:bindings ${id} (treated as unbound)`, err);
      }
    }
    return { version: Number(version ?? 0), vehicles };
  }

  async bindingSetVersion(): Promise<number> {
    return Number((await this.ctx.redis.get(this.ctx.key('terminals:version'))) ?? 0);
  }

  async writeBindings(expected: number, writes: BindingWrite[]): Promise<number | 'conflict'> {
    const args = writes.flatMap(({ ambulanceId, binding }) => [ambulanceId, binding ? JSON.stringify(binding) : '']);
    const version = Number(
      await this.ctx.redis.eval(WRITE_SCRIPT, 2, this.ctx.key('terminals:version'), this.ctx.key('terminals:bindings'), expected, this.ctx.key('terminals'), ...args),
    );
    if (version < 0) return 'conflict';
    await this.ctx.confirmed();
    return version;
  }

  async onBindings(listener: (version: number) => void): Promise<() => void> {
    return this.channels.listen(
      'terminals',
      async () => String(await this.bindingSetVersion()),
      (version) => listener(Number(version)),
    );
  }

  async recordUnknown(entry: StoredUnknownTerminal, cap: number): Promise<void> {
    await this.ctx.redis.eval(
      RECORD_UNKNOWN_SCRIPT,
      2,
      this.ctx.key('terminals:unknown'),
      this.ctx.key('terminals:unknown-seen'),
      unknownField(entry.kind, entry.identity),
      JSON.stringify(entry),
      entry.lastSeen,
      cap,
    );
  }

  async unknownTerminals(): Promise<StoredUnknownTerminal[]> {
    const all = await this.ctx.redis.hgetall(this.ctx.key('terminals:unknown'));
    const entries: StoredUnknownTerminal[] = [];
    for (const [field, json] of Object.entries(all)) {
      try {
        entries.push(JSON.parse(json) as StoredUnknownTerminal);
      } catch (err) {
        this.ctx.onError(`malformed terminals:unknown ${field}`, err);
      }
    }
    return entries.sort((a, b) => b.lastSeen - a.lastSeen);
  }

  async forgetUnknown(kind: TerminalKind, identity: string): Promise<boolean> {
    const field = unknownField(kind, identity);
    const results = (await this.ctx.redis.multi().hdel(this.ctx.key('terminals:unknown'), field).zrem(this.ctx.key('terminals:unknown-seen'), field).exec()) ?? [];
    return Number(results[0]?.[1] ?? 0) > 0;
  }
}
