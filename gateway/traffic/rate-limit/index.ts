export { createRateLimiter, type RateLimiter, type RateLimiterOptions, type RateLimitResult } from './rate-limiter';
export { scopesForPlan, type BucketLimit, type RateLimitPlan, type RateLimitScope } from './token-bucket';
export { primaryBucketStore, servePrimaryBuckets, type SharedBucketStore } from './primary-bucket-store';
