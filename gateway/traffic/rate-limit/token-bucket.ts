/**
 * Token-bucket arithmetic shared by the memory and Redis stores, and the mapping from a tenant's
 * plan to the buckets one request must take a token from.
 */
import type { RateLimitPlan } from '../../../tenancy/plan';

export type { RateLimitPlan };

/** One bucket's shape: it holds at most `capacity` tokens and gains `refillPerSec` every second. */
export interface BucketLimit {
  capacity: number;
  refillPerSec: number;
}

/** A bucket a request draws from: its storage key (unique per tenant or per API key) and its limit. */
export interface RateLimitScope {
  key: string;
  limit: BucketLimit;
}


/** The state of one bucket after a decision: tokens left (fractional) and when it will be full again. */
export interface BucketState {
  key: string;
  limit: BucketLimit;
  remaining: number;
  fullInMs: number;
}

export interface BucketDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise how long until every refused bucket holds a token again. */
  retryAfterMs: number;
  buckets: BucketState[];
}

function limitOf(requestsPerMinute: number, burst: number | undefined): BucketLimit {
  return { capacity: Math.max(1, burst ?? requestsPerMinute), refillPerSec: requestsPerMinute / 60 };
}

/** The buckets one request of `tenant` (and of `keyId`, when the plan limits keys) must draw from. */
export function scopesForPlan(input: { tenant: string; keyId?: string; plan: RateLimitPlan }): RateLimitScope[] {
  const { tenant, keyId, plan } = input;
  const scopes: RateLimitScope[] = [];
  if (plan.requestsPerMinute !== undefined) scopes.push({ key: `tenant:${tenant}`, limit: limitOf(plan.requestsPerMinute, plan.burst) });
  if (plan.perKey && keyId !== undefined) scopes.push({ key: `key:${tenant}:${keyId}`, limit: limitOf(plan.perKey.requestsPerMinute, plan.perKey.burst) });
  return scopes;
}

/** Tokens after refilling a bucket that held `tokens` at `lastMs`, as of `nowMs` (never above capacity). */
export function refill(tokens: number, lastMs: number, nowMs: number, limit: BucketLimit): number {
  const elapsedSec = Math.max(0, nowMs - lastMs) / 1000;
  return Math.min(limit.capacity, tokens + elapsedSec * limit.refillPerSec);
}

/** Milliseconds until a bucket holding `tokens` holds `wanted` (0 if it already does; Infinity if it never refills). */
export function msUntil(tokens: number, wanted: number, limit: BucketLimit): number {
  if (tokens >= wanted) return 0;
  if (limit.refillPerSec <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil(((wanted - tokens) / limit.refillPerSec) * 1000);
}
