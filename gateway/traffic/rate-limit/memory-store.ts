/**
 * Buckets in this process's memory: exact for one replica, and what runs when no Redis is configured.
 * Bounded: the least recently used bucket is dropped past `maxBuckets`. A dropped bucket comes back
 * full, which is what an idle bucket would have refilled to anyway.
 */
import { msUntil, refill, type BucketDecision, type RateLimitScope } from './token-bucket';

interface Bucket {
  tokens: number;
  lastMs: number;
}

export interface MemoryBucketStore {
  take(scopes: RateLimitScope[], nowMs: number): BucketDecision;
  readonly size: number;
}

export function createMemoryBucketStore(maxBuckets = 100_000): MemoryBucketStore {
  const buckets = new Map<string, Bucket>();

  function touch(key: string, capacity: number, nowMs: number): Bucket {
    const found = buckets.get(key);
    if (found) {
      // Re-insert so Map order stays least-recently-used first.
      buckets.delete(key);
      buckets.set(key, found);
      return found;
    }
    const fresh = { tokens: capacity, lastMs: nowMs };
    buckets.set(key, fresh);
    if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value as string);
    return fresh;
  }

  return {
    get size() {
      return buckets.size;
    },
    take(scopes, nowMs) {
      const current = scopes.map((scope) => {
        const bucket = touch(scope.key, scope.limit.capacity, nowMs);
        return { scope, bucket, tokens: refill(bucket.tokens, bucket.lastMs, nowMs, scope.limit) };
      });
      // All or nothing: a request refused by its key's bucket must not spend the tenant's token.
      const allowed = current.every((c) => c.tokens >= 1);
      let retryAfterMs = 0;
      for (const c of current) {
        if (allowed) c.tokens -= 1;
        else retryAfterMs = Math.max(retryAfterMs, msUntil(c.tokens, 1, c.scope.limit));
        c.bucket.tokens = c.tokens;
        c.bucket.lastMs = nowMs;
      }
      return {
        allowed,
        retryAfterMs,
        buckets: current.map((c) => ({ key: c.scope.key, limit: c.scope.limit, remaining: c.tokens, fullInMs: msUntil(c.tokens, c.scope.limit.capacity, c.scope.limit) })),
      };
    },
  };
}
