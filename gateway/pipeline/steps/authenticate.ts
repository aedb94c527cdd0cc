/** Identify the caller (API key or JWT) and resolve its tenant's plan; no credential → 401. */
import type { ResolvedPlan } from '../../../tenancy/plan';
import type { Principal } from '../../auth/principal';
import { errorResponse, type Answer } from '../answer';
import type { RequestContext } from '../request-context';
import type { GatewayStep } from '../step';

export interface AuthenticateDeps {
  /** Synchronous for API keys (a hash lookup); a promise for JWTs. */
  authenticate(req: RequestContext['req']): Promise<Principal | null> | Principal | null;
  planFor(tenant: string): ResolvedPlan;
}

/** Asked for by a GraphQL client on a 401 (RFC 9110): the schemes this gateway accepts. */
const CHALLENGE = { 'www-authenticate': 'Bearer, ApiKey header="x-api-key"' };

export function authenticateStep(deps: AuthenticateDeps): GatewayStep<RequestContext> {
  return {
    name: 'authenticate',
    run(ctx) {
      const identified = deps.authenticate(ctx.req);
      return identified instanceof Promise ? identified.then((principal) => identify(ctx, principal)) : identify(ctx, identified);
    },
  };

  function identify(ctx: RequestContext, principal: Principal | null): Answer | undefined {
    if (!principal) return errorResponse('UNAUTHENTICATED', 'Missing or invalid credentials', { shape: ctx.shape, headers: ctx.shape === 'graphql' ? CHALLENGE : undefined });
    ctx.principal = principal;
    ctx.tenant = principal.tenant;
    ctx.plan = deps.planFor(principal.tenant);
    return undefined;
  }
}
