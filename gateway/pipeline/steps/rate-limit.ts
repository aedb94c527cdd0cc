/** One token from the tenant's (and key's) buckets; refused → 429 with `Retry-After` and `RateLimit-*`. */
import type { Metrics } from '../../observability/metrics';
import { scopesForPlan, type RateLimiter } from '../../traffic/rate-limit';
import { errorResponse } from '../answer';
import type { Identified } from '../request-context';
import type { GatewayStep } from '../step';

export function rateLimitStep(deps: { limiter: RateLimiter; metrics: Metrics }): GatewayStep<Identified> {
  return {
    name: 'rate-limit',
    async run(ctx) {
      const { principal } = ctx;
      const scopes = scopesForPlan({ tenant: principal.tenant, keyId: principal.keyId, plan: ctx.plan.rateLimit });
      if (!scopes.length) return undefined;
      const decision = await deps.limiter.take(scopes);
      // Every later answer carries the headers, so a client can pace itself before it is refused.
      ctx.rateHeaders = decision.headers;
      if (decision.allowed) return undefined;
      deps.metrics.recordRateLimited(principal.tenant);
      const message = ctx.shape === 'graphql' ? `Rate limit of tenant "${principal.tenant}" exceeded; retry after ${Math.ceil(decision.retryAfterMs / 1000)} s` : 'Rate limit exceeded';
      return errorResponse('RATE_LIMITED', message, { shape: ctx.shape });
    },
  };
}
