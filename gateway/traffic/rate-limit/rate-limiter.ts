/**
 * Per-tenant and per-key rate limiting with token buckets: in Redis when one is given (one global
 * limit across gateway replicas), in memory otherwise. A Redis that fails or is slow never stalls
 * the gateway: the decision fails open (default) or closed within `redisTimeoutMs`.
 */
import { withTimeout } from '../../../core/async';
import type Redis from 'ioredis';
import { rateLimitHeaders } from './headers';
import { createMemoryBucketStore } from './memory-store';
import type { SharedBucketStore } from './primary-bucket-store';
import { createRedisBucketStore } from './redis-store';
import type { BucketDecision, RateLimitScope } from './token-bucket';

export interface RateLimiterOptions {
  /** Shared buckets for all replicas; without it buckets live in this process. */
  redis?: Redis;
  /** Prefix of every Redis key, e.g. `charter:rl:`; give each deployment (and test) its own. */
  prefix?: string;
  /** When Redis fails: `true` (default) lets the request through, `false` refuses it with 429. */
  failOpen?: boolean;
  /** How long a Redis decision may take before it counts as a failure; default 100 ms. */
  redisTimeoutMs?: number;
  /** Called on every Redis failure, for a metric and a log line. */
  onRedisError?: (err: unknown) => void;
  /** Most buckets kept in memory (memory mode); the least recently used go first. Default 100 000. */
  maxBuckets?: number;
  /**
   * Buckets kept elsewhere when there is no Redis (the cluster primary, `--workers N`): timeouts
   * and `failOpen` apply to it as to Redis.
   */
  sharedStore?: SharedBucketStore;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterMs: number;
  /** `RateLimit-Policy` and `RateLimit`, plus `Retry-After` when refused. */
  headers: Record<string, string>;
  /** Set when Redis failed and the answer comes from `failOpen` rather than from the buckets. */
  degraded?: 'redis-unavailable';
}

export interface RateLimiter {
  /** Take one token from every scope, all or none. `now` (ms) is used in memory mode only. */
  take(scopes: RateLimitScope[], now?: number): Promise<RateLimitResult>;
}

const ALLOW_ALL: RateLimitResult = { allowed: true, retryAfterMs: 0, headers: {} };

function resultOf(decision: BucketDecision): RateLimitResult {
  return { allowed: decision.allowed, retryAfterMs: decision.retryAfterMs, headers: rateLimitHeaders(decision) };
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const failOpen = options.failOpen ?? true;
  const redisTimeoutMs = options.redisTimeoutMs ?? 100;
  const memory = createMemoryBucketStore(options.maxBuckets);
  const shared = options.redis ? createRedisBucketStore(options.redis, options.prefix ?? 'charter:rl:') : (options.sharedStore ?? null);

  return {
    async take(scopes, now = Date.now()) {
      if (scopes.length === 0) return ALLOW_ALL;
      if (!shared) return resultOf(memory.take(scopes, now));
      try {
        return resultOf(await withTimeout(shared.take(scopes), redisTimeoutMs, 'Redis'));
      } catch (err) {
        options.onRedisError?.(err);
        if (failOpen) return { ...ALLOW_ALL, degraded: 'redis-unavailable' };
        return { allowed: false, retryAfterMs: 1000, headers: { 'Retry-After': '1' }, degraded: 'redis-unavailable' };
      }
    },
  };
}
