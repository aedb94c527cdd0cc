/**
 * How the gateway calls subgraphs: through the resilient data source (keep-alive pools, timeouts,
 * retries for queries only, breakers, load balancing), each attempt carrying the principal signed
 * with its exact body so a subgraph can trust it (core/principal-signature.ts). Client headers are
 * never forwarded, so a client cannot pose as another tenant with identity headers of its own.
 */
import { encodePrincipal, PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../core/principal-signature';
import type { Principal } from './auth/principal';
import { createSubgraphDataSourceFactory, type SubgraphDataSourceFactory, type SubgraphEvent, type SubgraphSettings } from './resilience';

/** The gateway's own calls (schema health checks) have no request principal. */
const GATEWAY_PRINCIPAL: Principal = { tenant: 'gateway', subject: 'gateway', roles: [], scopes: [] };

export interface SubgraphCallOptions {
  secret: string;
  subgraphs?: Record<string, SubgraphSettings>;
  defaults?: Omit<SubgraphSettings, 'urls'>;
  onEvent?: (event: SubgraphEvent) => void;
}

export function createSubgraphCalls(options: SubgraphCallOptions): SubgraphDataSourceFactory<{ principal?: Principal }> {
  return createSubgraphDataSourceFactory<{ principal?: Principal }>({
    // A billed AI call must never run twice because an answer was slow or lost.
    subgraphs: { ai: { noRetry: true, timeoutMs: 120_000 }, ...(options.subgraphs ?? {}) },
    defaults: options.defaults,
    onEvent: options.onEvent,
    willSendRequest: (request, context) => {
      request.headers.set(PRINCIPAL_HEADER, encodePrincipal(context?.principal ?? GATEWAY_PRINCIPAL));
    },
    signAttempt: (attempt, headers) => ({
      [SIGNATURE_HEADER]: signRequest(options.secret, headers[PRINCIPAL_HEADER] ?? '', { method: 'POST', audience: attempt.subgraph, pathAndQuery: attempt.path, body: attempt.body }),
    }),
  });
}
