/**
 * Buckets in Redis, shared by every gateway replica. One Lua script refills and takes from all of a
 * request's buckets (tenant and key) atomically, so replicas racing on one bucket cannot both spend
 * its last token, and a request refused by one bucket spends none of the others.
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { BucketDecision, RateLimitScope } from './token-bucket';

// KEYS: bucket keys. ARGV: capacity and refill-per-second for each key, in order.
// The clock is Redis's own TIME: replicas' clocks drift, the server's is one clock for all.
// Script results are truncated to integers by Redis, so tokens travel as thousandths.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local n = #KEYS
local tokens = {}
local allowed = 1
local retry = 0
for i = 1, n do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tk = tonumber(state[1])
  local ts = tonumber(state[2])
  if tk == nil or ts == nil then tk = cap; ts = now end
  tk = math.min(cap, tk + math.max(0, now - ts) / 1000 * rate)
  tokens[i] = tk
  if tk < 1 then
    allowed = 0
    local wait = 86400000
    if rate > 0 then wait = math.ceil((1 - tk) / rate * 1000) end
    if wait > retry then retry = wait end
  end
end
local out = { allowed, retry }
for i = 1, n do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local tk = tokens[i]
  if allowed == 1 then tk = tk - 1 end
  redis.call('HSET', KEYS[i], 'tokens', tostring(tk), 'ts', tostring(now))
  local full = 86400000
  if rate > 0 then full = math.ceil((cap - tk) / rate * 1000) end
  -- A bucket left alone until it is full again is the same as no bucket: let Redis drop it.
  redis.call('PEXPIRE', KEYS[i], full + 1000)
  out[#out + 1] = math.floor(tk * 1000)
  out[#out + 1] = full
end
return out
`;
const TAKE_SHA = createHash('sha1').update(TAKE_SCRIPT).digest('hex');

export interface RedisBucketStore {
  take(scopes: RateLimitScope[]): Promise<BucketDecision>;
}

export function createRedisBucketStore(redis: Redis, prefix: string): RedisBucketStore {
  return {
    async take(scopes) {
      const keys = scopes.map((s) => `${prefix}${s.key}`);
      const args = scopes.flatMap((s) => [String(s.limit.capacity), String(s.limit.refillPerSec)]);
      let reply: number[];
      try {
        reply = (await redis.evalsha(TAKE_SHA, keys.length, ...keys, ...args)) as number[];
      } catch (err) {
        // A fresh or restarted Redis has no cached script yet: send it once, it is cached from then on.
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        reply = (await redis.eval(TAKE_SCRIPT, keys.length, ...keys, ...args)) as number[];
      }
      return {
        allowed: reply[0] === 1,
        retryAfterMs: Number(reply[1]),
        buckets: scopes.map((s, i) => ({ key: s.key, limit: s.limit, remaining: Number(reply[2 + 2 * i]) / 1000, fullInMs: Number(reply[3 + 2 * i]) })),
      };
    },
  };
}
