/**
 * Automatic persisted queries: a hash alone is looked up in the tenant's namespace, a hash with its
 * text is stored there once the operation has passed parsing, validation and the plan's limits
 * (`persistedQueryRegisterStep`, listed after them). A miss answers PERSISTED_QUERY_NOT_FOUND with
 * status 200 (the protocol rule Apollo clients expect).
 */
import { errorResponse } from '../answer';
import { resolvePersistedQuery, type PersistedQueryStore } from '../persisted-queries';
import type { Selected, WithParams } from '../request-context';
import type { GatewayStep } from '../step';

export function persistedQueryStep(deps: { store: PersistedQueryStore }): GatewayStep<WithParams> {
  return {
    name: 'persisted-query',
    async run(ctx) {
      const resolved = await resolvePersistedQuery(ctx.principal.tenant, ctx.params, deps.store);
      if ('notFound' in resolved) return errorResponse('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', { rule: 'persisted-query-miss' });
      ctx.params = resolved.params;
      ctx.persistedHashToRegister = resolved.register;
      return undefined;
    },
  };
}

export function persistedQueryRegisterStep(deps: { store: PersistedQueryStore }): GatewayStep<Selected> {
  return {
    name: 'persisted-query-register',
    async run(ctx) {
      if (ctx.persistedHashToRegister) await deps.store.set(ctx.principal.tenant, ctx.persistedHashToRegister, ctx.params.query);
      return undefined;
    },
  };
}
