/**
 * Response headers for a rate-limit decision, after draft-ietf-httpapi-ratelimit-headers:
 * `RateLimit-Policy` lists every policy that applied (`q` quota, `w` window in seconds) and
 * `RateLimit` reports the one closest to exhaustion (`r` remaining, `t` seconds until it is full).
 * A token bucket of capacity C refilling at R/s is described as quota C over the window C/R.
 */
import type { BucketDecision, BucketState } from './token-bucket';

/** Policy names are structured-field strings; keep them short and free of quotes and backslashes. */
function policyName(bucket: BucketState): string {
  return bucket.key.startsWith('key:') ? 'key' : bucket.key.startsWith('tenant:') ? 'tenant' : bucket.key.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 32);
}

function windowSec(bucket: BucketState): number {
  return bucket.limit.refillPerSec > 0 ? Math.max(1, Math.ceil(bucket.limit.capacity / bucket.limit.refillPerSec)) : 0;
}

export function rateLimitHeaders(decision: BucketDecision): Record<string, string> {
  if (decision.buckets.length === 0) return {};
  const headers: Record<string, string> = {
    'RateLimit-Policy': decision.buckets.map((b) => `"${policyName(b)}";q=${b.limit.capacity};w=${windowSec(b)}`).join(', '),
  };
  const tightest = decision.buckets.reduce((a, b) => (b.remaining / b.limit.capacity < a.remaining / a.limit.capacity ? b : a));
  headers.RateLimit = `"${policyName(tightest)}";r=${Math.floor(tightest.remaining)};t=${Math.ceil(tightest.fullInMs / 1000)}`;
  if (!decision.allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  return headers;
}
