/**
 * The response cache, for queries of plans that allow it. The key holds tenant, policy version,
 * supergraph version, permission set, operation and variables; a PRIVATE answer also the subject.
 */
import type { TenantDirectory } from '../../tenants/tenant-directory';
import { cachedResponseHeaders, cacheKeyFor, permissionSetOf, type ResponseCache } from '../../traffic/response-cache';
import { queryHashOf } from '../query-hash';
import type { Authorized } from '../request-context';
import type { GatewayStep } from '../step';

export interface ResponseCaching {
  store: ResponseCache;
  defaultTtlSec: number;
  maxTtlSec: number;
}

export function cacheLookupStep(deps: { caching: ResponseCaching | null; dedupe: boolean; tenants: TenantDirectory | null }): GatewayStep<Authorized> {
  return {
    name: 'cache-lookup',
    async run(ctx) {
      const isQuery = ctx.operation.operation === 'query';
      const caching = isQuery && ctx.plan.cacheEnabled ? deps.caching : null;
      ctx.cacheable = caching !== null;
      ctx.cache = caching ? 'miss' : 'bypass';
      if (!caching && !(deps.dedupe && isQuery)) return undefined;
      const { principal } = ctx;
      ctx.cacheKeyParts = {
        tenant: principal.tenant,
        policyVersion: deps.tenants?.policyVersion(principal.tenant) ?? 'none',
        supergraphVersion: ctx.supergraphVersion,
        permissionSet: permissionSetOf(principal),
        operationHash: queryHashOf(ctx.executed, ctx.query),
        operationName: ctx.params.operationName ?? undefined,
        variables: ctx.params.variables ?? undefined,
      };
      if (!caching) return undefined;
      const hit = (await caching.store.get(cacheKeyFor(ctx.cacheKeyParts))) ?? (await caching.store.get(cacheKeyFor({ ...ctx.cacheKeyParts, principalScope: principal.subject })));
      if (!hit) return undefined;
      ctx.cache = 'hit';
      const scope = hit.headers?.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
      return { status: 200, text: hit.body, headers: cachedResponseHeaders(hit, scope) };
    },
  };
}
