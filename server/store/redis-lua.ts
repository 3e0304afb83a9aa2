// The one Lua script through which every change reaches Redis: it checks the
// expected versions (for read-modify-write: every write of an entity, removal too,
// bumps its version in v:<collection>, so a version read is stale once anyone wrote
// it since), takes the next seq, writes the entity hashes and the GEO set, and appends
// the delta to the event stream, all atomically, so the stream's order is the seq order.
// The event's changes are put together here from the entities' JSON, so each entity
// crosses the wire once, and an expectation is a number, not the entity again.
//
// ARGV: prefix, maxlen, at, nExpect, nChanges, onceKey or '', onceTtlMs,
//       nSets, publishChannel or '', publishMessage, expectedSeq or '' (the whole state as read),
//       then nExpect × (collection, id, expectedVersion: 0 for one never written),
//       then nChanges × (op, collection, id, json, lng, lat): for an upsert the entity's JSON,
//       for a remove the change's own JSON (it is the event's item as it stands),
//       then nSets × (key, value): plain keys written in the same step (a committed grid set),
//       and the message published on the channel (both under the prefix) once all is written.
// Collection names are plain identifiers, so they need no JSON escaping.
// Returns the new seq, -1 when an expectation (an entity or the seq) failed, or -2 when onceKey was
// already taken (a retried operation: nothing written either time after the first).
export const APPLY_SCRIPT = `
local p = ARGV[1]
local i = 12
if ARGV[6] ~= '' and redis.call('EXISTS', p .. ARGV[6]) == 1 then return -2 end
if ARGV[11] ~= '' and tonumber(redis.call('GET', p .. 'seq') or '0') ~= tonumber(ARGV[11]) then return -1 end
for e = 1, tonumber(ARGV[4]) do
  local version = redis.call('HGET', p .. 'v:' .. ARGV[i], ARGV[i + 1]) or '0'
  if version ~= ARGV[i + 2] then return -1 end
  i = i + 3
end
local seq = redis.call('INCR', p .. 'seq')
if ARGV[6] ~= '' then redis.call('SET', p .. ARGV[6], seq, 'PX', ARGV[7]) end
local items = {}
for c = 1, tonumber(ARGV[5]) do
  local op, coll, id, json, lng, lat = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  redis.call('HINCRBY', p .. 'v:' .. coll, id, 1)
  if op == 'upsert' then
    redis.call('HSET', p .. 'e:' .. coll, id, json)
    items[c] = '{"op":"upsert","collection":"' .. coll .. '","entity":' .. json .. '}'
  else
    redis.call('HDEL', p .. 'e:' .. coll, id)
    items[c] = json
  end
  if coll == 'ambulances' then
    if op == 'upsert' and lng ~= '' then
      redis.call('GEOADD', p .. 'geo:ambulances', lng, lat, id)
    else
      redis.call('ZREM', p .. 'geo:ambulances', id)
    end
  end
  i = i + 6
end
for s = 1, tonumber(ARGV[8]) do
  redis.call('SET', p .. ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('XADD', p .. 'events', 'MAXLEN', '~', ARGV[2], seq .. '-0', 'at', ARGV[3], 'changes', '[' .. table.concat(items, ',') .. ']')
if ARGV[9] ~= '' then redis.call('PUBLISH', p .. ARGV[9], ARGV[10]) end
return seq
`;

// A grid set committed with no live change: written and announced only if the store is
// still at the seq its changes were computed from (else -1, and they are computed again).
// ARGV: prefix, expectedSeq, version, gridsJson, metaJson.
export const GRID_SET_ONLY_SCRIPT = `
local p = ARGV[1]
if tonumber(redis.call('GET', p .. 'seq') or '0') ~= tonumber(ARGV[2]) then return -1 end
redis.call('SET', p .. 'grids:geojson', ARGV[4])
redis.call('SET', p .. 'grids:meta', ARGV[5])
redis.call('SET', p .. 'grids:version', ARGV[3])
redis.call('PUBLISH', p .. 'grids', ARGV[3])
return 0
`;
