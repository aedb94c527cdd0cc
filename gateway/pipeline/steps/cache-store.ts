/**
 * Store a cacheable answer (TTL and scope from the subgraphs' hints, capped by the gateway's
 * settings; answers with errors and mutations never), and answer with the execution's result.
 */
import { cachedResponseHeaders, cacheKeyFor, cachePolicyFromHints } from '../../traffic/response-cache';
import type { Authorized } from '../request-context';
import type { GatewayStep } from '../step';
import type { ResponseCaching } from './cache-lookup';

/** Apollo's `no-store`: an execution with no cacheable hint caches nothing, whatever the default TTL. */
const NOT_CACHEABLE = Object.freeze({ maxAge: 0 });

export function cacheStoreStep(deps: { caching: ResponseCaching | null }): GatewayStep<Authorized> {
  return {
    name: 'cache-store',
    async run(ctx) {
      const result = ctx.execution!;
      const caching = ctx.cacheable ? deps.caching : null;
      if (!caching) return { status: result.status, text: result.text };
      const decision = cachePolicyFromHints({
        overallCachePolicy: result.cacheHint ?? NOT_CACHEABLE,
        operationType: ctx.operation.operation,
        hasErrors: result.hasErrors || result.status !== 200,
        defaultTtlSec: caching.defaultTtlSec,
        maxTtlSec: caching.maxTtlSec,
      });
      if (decision.status !== 'cacheable') {
        ctx.cache = 'bypass';
        return { status: result.status, text: result.text, headers: { 'cache-control': 'no-store' } };
      }
      const key = cacheKeyFor(decision.scope === 'PRIVATE' ? { ...ctx.cacheKeyParts!, principalScope: ctx.principal.subject } : ctx.cacheKeyParts!);
      const entry = { body: result.text, storedAt: Date.now(), ttlSec: decision.ttlSec, headers: { scope: decision.scope } };
      await caching.store.set(key, entry, decision.ttlSec);
      return { status: result.status, text: result.text, headers: cachedResponseHeaders(entry, decision.scope) };
    },
  };
}
