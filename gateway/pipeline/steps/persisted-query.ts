/**
 * Automatic persisted queries: a hash alone is looked up, a hash with its text is stored. A miss
 * answers PERSISTED_QUERY_NOT_FOUND with status 200 (the protocol rule Apollo clients expect).
 */
import { errorResponse } from '../answer';
import { resolvePersistedQuery, type PersistedQueryStore } from '../persisted-queries';
import type { WithParams } from '../request-context';
import type { GatewayStep } from '../step';

export function persistedQueryStep(deps: { store: PersistedQueryStore }): GatewayStep<WithParams> {
  return {
    name: 'persisted-query',
    async run(ctx) {
      const resolved = await resolvePersistedQuery(ctx.params, deps.store);
      if ('notFound' in resolved) return errorResponse('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', { rule: 'persisted-query-miss' });
      ctx.params = resolved;
      return undefined;
    },
  };
}
