/**
 * How the gateway calls subgraphs: through the resilient data source (keep-alive pools, timeouts,
 * retries for queries only, breakers, load balancing), each attempt carrying the principal signed
 * with its exact body so a subgraph can trust it (core/principal-signature.ts). Client headers are
 * never forwarded, so a client cannot pose as another tenant with identity headers of its own.
 */
import { encodePrincipal, PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../core/principal-signature';
import { AI_SUBGRAPH } from './ai-proxy';
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

/** Settings the gateway brings for subgraphs it knows; configured ones are merged over them key by key. */
const BUILT_IN: Readonly<Record<string, SubgraphSettings>> = Object.freeze({
  [AI_SUBGRAPH]: { noRetry: true, timeoutMs: 120_000 },
});

/**
 * Configured per-subgraph settings over the built-in ones, key by key (an `ai:` entry with only a
 * timeout keeps `noRetry`). A billed AI call must never run twice because an answer was slow or
 * lost, so the AI subgraph's `noRetry` holds whatever the configuration says.
 */
export function mergeSubgraphSettings(configured: Record<string, SubgraphSettings> = {}): Record<string, SubgraphSettings> {
  const merged: Record<string, SubgraphSettings> = {};
  for (const name of new Set([...Object.keys(BUILT_IN), ...Object.keys(configured)])) {
    const own = Object.fromEntries(Object.entries(configured[name] ?? {}).filter(([, v]) => v !== undefined));
    merged[name] = { ...BUILT_IN[name], ...own };
  }
  merged[AI_SUBGRAPH] = { ...merged[AI_SUBGRAPH], noRetry: true };
  return merged;
}

export function createSubgraphCalls(options: SubgraphCallOptions): SubgraphDataSourceFactory<{ principal?: Principal }> {
  return createSubgraphDataSourceFactory<{ principal?: Principal }>({
    subgraphs: mergeSubgraphSettings(options.subgraphs),
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
