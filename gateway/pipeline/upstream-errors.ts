/**
 * What clients learn of upstream failures. A subgraph's error messages and extensions may carry
 * internals — REST paths, upstream statuses, stack traces, the subgraph's name (Apollo's
 * `serviceName`) — so, unless the caller may see details, each error coming from a subgraph keeps
 * its `path` and `locations`, a code from a short public list (else `UPSTREAM_ERROR`), and a message
 * chosen here; only messages written for the client (bad input, budgets) pass as they are. Errors
 * the gateway makes itself (FORBIDDEN for denied fields) carry no subgraph and pass unchanged.
 */
import type { Principal } from '../auth/principal';

/** Who sees subgraph errors as the subgraphs wrote them. */
export type UpstreamErrorDetails = 'admins' | 'everyone' | 'nobody';

/** A principal with this role sees details when the setting is `admins`. */
export const ADMIN_ROLE = 'admin';

export function maySeeUpstreamDetails(setting: UpstreamErrorDetails, principal: Principal): boolean {
  return setting === 'everyone' || (setting === 'admins' && principal.roles.includes(ADMIN_ROLE));
}

/** Codes whose message is written for the client and passes as is. */
const CLIENT_MESSAGES = new Set(['BAD_USER_INPUT', 'BUDGET_EXCEEDED', 'CONTEXT_WINDOW_EXCEEDED']);

/** The public codes and what a client is told for each. */
const GENERIC: Record<string, string> = {
  FORBIDDEN: 'Not allowed',
  UNAUTHENTICATED: 'Not authenticated',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'An upstream service is rate limited',
  PROVIDER_RATE_LIMITED: 'The model provider is rate limited',
  UPSTREAM_TIMEOUT: 'An upstream service did not answer in time',
  PROVIDER_TIMEOUT: 'The model provider did not answer in time',
  UPSTREAM_UNAVAILABLE: 'An upstream service is unavailable',
  UPSTREAM_ERROR: 'An upstream service failed',
};

interface WireError {
  message: string;
  path?: unknown;
  locations?: unknown;
  extensions?: Record<string, unknown>;
}

function fromSubgraph(error: WireError): boolean {
  const ext = error.extensions;
  return !!ext && (typeof ext.serviceName === 'string' || typeof ext.subgraph === 'string');
}

function masked(error: WireError): WireError {
  const raw = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UPSTREAM_ERROR';
  const keepMessage = CLIENT_MESSAGES.has(raw);
  const code = keepMessage || raw in GENERIC ? raw : 'UPSTREAM_ERROR';
  const out: WireError = { message: keepMessage ? error.message : GENERIC[code]! };
  if (error.locations !== undefined) out.locations = error.locations;
  if (error.path !== undefined) out.path = error.path;
  out.extensions = { code };
  return out;
}

/** The body with every subgraph error masked; the same object when there is nothing to mask. */
export function maskUpstreamErrors<T extends { errors?: readonly unknown[] }>(body: T): T {
  const errors = body.errors as readonly WireError[] | undefined;
  if (!errors?.some(fromSubgraph)) return body;
  return { ...body, errors: errors.map((e) => (fromSubgraph(e) ? masked(e) : e)) };
}
