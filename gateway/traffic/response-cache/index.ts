export { cacheKeyFor, permissionSetOf, stableStringify, type CacheKeyParts } from './cache-key';
export { cachePolicyFromHints, cachedResponseHeaders, type CacheDecision, type CachePolicyInput, type CacheScope } from './cache-policy';
export { createInflightDeduper, type InflightDeduper } from './inflight';
export { createResponseCache, type CachedResponse, type ResponseCache, type ResponseCacheOptions } from './response-cache';
