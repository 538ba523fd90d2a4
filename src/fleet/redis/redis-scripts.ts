/**
 * Takes the lease if free (`SET NX PX`), or extends it if ARGV[1] already holds it (a renewal lost in a reconnect):
 * KEYS[1] lease; ARGV owner, ttl ms. Returns 1 when held.
 */
export const ACQUIRE_LEASE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Extends the lease if ARGV[1] holds it: KEYS[1] lease; ARGV owner, ttl ms. Returns 1 when held. */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes the lease if ARGV[1] holds it: KEYS[1] lease; ARGV owner. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Drops the refs whose interest expired (and their tokens and paces), then returns the others.
 * KEYS[1] interest (sorted set: ref → expiry), KEYS[2] tokens (hash), KEYS[3] paces (sorted set: ref → ms); ARGV now.
 */
export const LIVE_INTEREST = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
  redis.call('ZREM', KEYS[3], unpack(expired))
end
return redis.call('ZRANGE', KEYS[1], 0, -1)`;

/**
 * The leader's publish, atomic: refresh interest, write the tokens that differ, the heartbeat, and announce the
 * changed refs. KEYS[1] interest, KEYS[2] tokens; ARGV until, now, owner, channel, then ref/token pairs.
 * Returns the changed refs.
 */
export const PUBLISH_TOKENS = `
local changed = {}
for i = 5, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[i])
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i + 1] then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    changed[#changed + 1] = ARGV[i]
  end
end
redis.call('HSET', KEYS[2], '${'~heartbeat'}', ARGV[2])
if #changed > 0 then
  redis.call('PUBLISH', ARGV[4], cjson.encode({ owner = ARGV[3], refs = changed }))
end
return changed`;

/** The hash field of the leader's heartbeat (refs start with their scheme, never with `~`). */
export const HEARTBEAT_FIELD = '~heartbeat';
