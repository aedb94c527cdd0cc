/**
 * Whether an answer may be cached, for how long and for whom, from the `@cacheControl` hints Apollo
 * gathered (`requestContext.overallCachePolicy`; in gateway mode it is the minimum of the subgraphs'
 * `Cache-Control` headers), and the `Cache-Control`/`Age` headers of an answer served from cache.
 */
export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** The shape of Apollo's `CacheHint`/`CachePolicy` this module reads (its `overallCachePolicy` fits). */
export interface CacheHintLike {
  maxAge?: number;
  scope?: CacheScope;
}

export type CacheDecision = { status: 'cacheable'; ttlSec: number; scope: CacheScope } | { status: 'bypass'; reason: 'mutation' | 'errors' | 'no-store' };

export interface CachePolicyInput {
  /** Apollo's overall policy, or a plain hint. `maxAge: 0` means "do not cache". */
  overallCachePolicy?: CacheHintLike | null;
  /** The executed operation's type: only queries are cached. */
  operationType: 'query' | 'mutation' | 'subscription';
  /** An answer with errors is never cached: the failure may be gone on the next request. */
  hasErrors: boolean;
  /** TTL when no hint gave a maxAge; 0 (default) caches nothing without a hint. */
  defaultTtlSec?: number;
  /** Upper bound on any TTL. */
  maxTtlSec?: number;
}

export function cachePolicyFromHints(input: CachePolicyInput): CacheDecision {
  if (input.operationType !== 'query') return { status: 'bypass', reason: 'mutation' };
  if (input.hasErrors) return { status: 'bypass', reason: 'errors' };
  const hint = input.overallCachePolicy ?? {};
  const maxAge = hint.maxAge ?? input.defaultTtlSec ?? 0;
  const ttlSec = Math.min(Math.floor(maxAge), input.maxTtlSec ?? Number.POSITIVE_INFINITY);
  if (!(ttlSec > 0)) return { status: 'bypass', reason: 'no-store' };
  return { status: 'cacheable', ttlSec, scope: hint.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' };
}

/** Headers of an answer served from cache: remaining lifetime and how old it is. */
export function cachedResponseHeaders(entry: { storedAt: number; ttlSec: number }, scope: CacheScope, now = Date.now()): Record<string, string> {
  const ageSec = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  return { 'cache-control': `max-age=${Math.max(0, entry.ttlSec - ageSec)}, ${scope === 'PRIVATE' ? 'private' : 'public'}`, age: String(ageSec) };
}
