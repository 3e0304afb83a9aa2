// The one Lua script through which every change reaches Redis: it checks the
// expected current values (for read-modify-write), takes the next seq, writes
// the entity hashes and the GEO set, and appends the delta to the event stream,
// all atomically, so the stream's order is the seq order.
//
// ARGV: prefix, maxlen, at, changesJson, nExpect, nChanges, onceKey or '', onceTtlMs,
//       nSets, publishChannel or '', publishMessage, expectedSeq or '' (the whole state as read),
//       then nExpect × (collection, id, expectedJson or ''),
//       then nChanges × (op, collection, id, entityJson, lng, lat),
//       then nSets × (key, value): plain keys written in the same step (a committed grid set),
//       and the message published on the channel (both under the prefix) once all is written.
// Returns the new seq, -1 when an expectation (an entity or the seq) failed, or -2 when onceKey was
// already taken (a retried operation: nothing written either time after the first).
export const APPLY_SCRIPT = `
local p = ARGV[1]
local i = 13
if ARGV[7] ~= '' and redis.call('EXISTS', p .. ARGV[7]) == 1 then return -2 end
if ARGV[12] ~= '' and tonumber(redis.call('GET', p .. 'seq') or '0') ~= tonumber(ARGV[12]) then return -1 end
for e = 1, tonumber(ARGV[5]) do
  local cur = redis.call('HGET', p .. 'e:' .. ARGV[i], ARGV[i + 1])
  if (cur or '') ~= ARGV[i + 2] then return -1 end
  i = i + 3
end
local seq = redis.call('INCR', p .. 'seq')
if ARGV[7] ~= '' then redis.call('SET', p .. ARGV[7], seq, 'PX', ARGV[8]) end
for c = 1, tonumber(ARGV[6]) do
  local op, coll, id, json, lng, lat = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  if op == 'upsert' then
    redis.call('HSET', p .. 'e:' .. coll, id, json)
  else
    redis.call('HDEL', p .. 'e:' .. coll, id)
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
for s = 1, tonumber(ARGV[9]) do
  redis.call('SET', p .. ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('XADD', p .. 'events', 'MAXLEN', '~', ARGV[2], seq .. '-0', 'at', ARGV[3], 'changes', ARGV[4])
if ARGV[10] ~= '' then redis.call('PUBLISH', p .. ARGV[10], ARGV[11]) end
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
