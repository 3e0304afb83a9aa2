// The one Lua script through which every change reaches Redis: it checks the
// expected versions (for read-modify-write: every write of an entity, removal too,
// bumps its version in v:<collection>, so a version read is stale once anyone wrote
// it since), takes the next seq, writes the entity hashes and the GEO set, and appends
// the delta to the event stream, all atomically, so the stream's order is the seq order.
// The event's changes are put together here from the entities' JSON, so each entity
// crosses the wire once, and an expectation is a number, not the entity again.
//
// Every key the script touches comes in KEYS (none is built in Lua): on a Redis Cluster that is
// what routes the script to the shard holding the board, and lets Redis refuse (CROSSSLOT) a
// prefix without a hash tag instead of touching keys of another shard.
// KEYS: seq, events, geo:ambulances, the once key (seq again when there is none),
//       then nExpect × v:<collection>, then nChanges × (v:<collection>, e:<collection>),
//       then nSets × the plain keys written in the same step (a committed grid set).
// ARGV: maxlen, at, nExpect, nChanges, '1' when there is a once key else '', onceTtlMs,
//       nSets, publishChannel or '', publishMessage, expectedSeq or '' (the whole state as read),
//       then nExpect × (id, expectedVersion: 0 for one never written),
//       then nChanges × (op, collection, id, json, lng, lat): for an upsert the entity's JSON,
//       for a remove the change's own JSON (it is the event's item as it stands),
//       then nSets × value, and the message published on the channel (its full name) once all is written.
// Collection names are plain identifiers, so they need no JSON escaping.
// Returns the new seq, -1 when an expectation (an entity or the seq) failed, or -2 when the once
// key was already taken (a retried operation: nothing written either time after the first).
export const APPLY_SCRIPT = `
local once = ARGV[5] ~= ''
if once and redis.call('EXISTS', KEYS[4]) == 1 then return -2 end
if ARGV[10] ~= '' and tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[10]) then return -1 end
local i, k = 11, 5
for e = 1, tonumber(ARGV[3]) do
  local version = redis.call('HGET', KEYS[k], ARGV[i]) or '0'
  if version ~= ARGV[i + 1] then return -1 end
  i, k = i + 2, k + 1
end
local seq = redis.call('INCR', KEYS[1])
if once then redis.call('SET', KEYS[4], seq, 'PX', ARGV[6]) end
local items = {}
for c = 1, tonumber(ARGV[4]) do
  local op, coll, id, json, lng, lat = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  redis.call('HINCRBY', KEYS[k], id, 1)
  if op == 'upsert' then
    redis.call('HSET', KEYS[k + 1], id, json)
    items[c] = '{"op":"upsert","collection":"' .. coll .. '","entity":' .. json .. '}'
  else
    redis.call('HDEL', KEYS[k + 1], id)
    items[c] = json
  end
  if coll == 'ambulances' then
    if op == 'upsert' and lng ~= '' then
      redis.call('GEOADD', KEYS[3], lng, lat, id)
    else
      redis.call('ZREM', KEYS[3], id)
    end
  end
  i, k = i + 6, k + 2
end
for s = 1, tonumber(ARGV[7]) do
  redis.call('SET', KEYS[k], ARGV[i])
  i, k = i + 1, k + 1
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'at', ARGV[2], 'changes', '[' .. table.concat(items, ',') .. ']')
if ARGV[8] ~= '' then redis.call('PUBLISH', ARGV[8], ARGV[9]) end
return seq
`;

// A grid set committed with no live change: written and announced only if the store is
// still at the seq its changes were computed from (else -1, and they are computed again).
// KEYS: seq, grids:geojson, grids:meta, grids:version. ARGV: expectedSeq, version, gridsJson, metaJson, channel.
export const GRID_SET_ONLY_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('SET', KEYS[4], ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[2])
return 0
`;
