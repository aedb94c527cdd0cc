/**
 * Credentials for the calls a REST subgraph makes to its backend, per the mapping's `auth:`.
 * Secrets are read from the environment once, when the subgraph is built (a missing variable fails
 * the build, naming the variable, never a value), and never logged or put in errors.
 */
import { graphqlError } from '../../../core/errors';
import { encodePrincipal, PRINCIPAL_HEADER, signRequest, SIGNATURE_HEADER } from '../../../core/principal-signature';
import type { Principal } from '../../../core/principal';
import type { BackendAuthConfig } from './backend-auth-config';
import { restError } from './rest-client';

export interface BackendAuth {
  /** Headers for one call; a signature covers its method, URL and exact body ('' without one). */
  headersFor(context: unknown, request: BackendRequest): Promise<Record<string, string>>;
  /** The backend answered 401: forget cached credentials so the next call fetches new ones. Returns whether a retry can help. */
  rejected(): boolean;
}

/** The call a backend credential may be bound to. */
export interface BackendRequest {
  method: string;
  url: string;
  bodyText: string;
}

const NO_AUTH: BackendAuth = { headersFor: async () => ({}), rejected: () => false };

export function createBackendAuth(subgraph: string, config: BackendAuthConfig | undefined, env: NodeJS.ProcessEnv = process.env): BackendAuth {
  if (!config) return NO_AUTH;
  const secret = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`REST subgraph "${subgraph}": auth.${config.type} needs the environment variable ${name}, which is not set`);
    return value;
  };
  switch (config.type) {
    case 'apiKey': {
      const headers = { [config.header]: secret(config.env) };
      return { headersFor: async () => headers, rejected: () => false };
    }
    case 'bearer': {
      const headers = { authorization: `Bearer ${secret(config.env)}` };
      return { headersFor: async () => headers, rejected: () => false };
    }
    case 'principal': {
      const key = secret(config.secretEnv);
      return {
        headersFor: async (context, request) => {
          const principal = (context as { principal?: Principal } | null | undefined)?.principal;
          // Without a verified caller there is nothing to vouch for: refuse rather than call anonymously.
          if (!principal) throw graphqlError('UNAUTHENTICATED', `Subgraph "${subgraph}": this backend needs the caller's identity`);
          const header = encodePrincipal(principal);
          // Bound to this call: the backend verifies with this subgraph's name as its audience.
          const url = new URL(request.url);
          return { [PRINCIPAL_HEADER]: header, [SIGNATURE_HEADER]: signRequest(key, header, { method: request.method, audience: subgraph, pathAndQuery: url.pathname + url.search, body: request.bodyText }) };
        },
        rejected: () => false,
      };
    }
    case 'oauth2':
      return createClientCredentials(subgraph, config, secret(config.clientIdEnv), secret(config.clientSecretEnv));
    default:
      return config satisfies never;
  }
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

function createClientCredentials(subgraph: string, config: Extract<BackendAuthConfig, { type: 'oauth2' }>, clientId: string, clientSecret: string): BackendAuth {
  let cached: CachedToken | undefined;
  // One fetch in flight at a time: concurrent calls on an expired token share it.
  let pending: Promise<CachedToken> | undefined;
  const target = { subgraph, endpoint: '(oauth2 token endpoint)', method: 'POST' as const };

  async function fetchToken(): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (config.scope) form.set('scope', config.scope);
    let response: Response;
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      response = await fetch(config.tokenUrl, {
        method: 'POST',
        signal: AbortSignal.timeout(10_000),
        // RFC 6749 2.3.1: client_secret_basic, both parts form-encoded.
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      });
      body = (await response.json()) as typeof body;
    } catch (err) {
      throw restError(target, 'UPSTREAM_ERROR', `token request failed: ${(err as Error).message}`);
    }
    if (!response.ok || typeof body.access_token !== 'string') throw restError(target, 'UPSTREAM_ERROR', `token endpoint answered HTTP ${response.status} without a token`);
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 300_000;
    return { value: body.access_token, refreshAt: Date.now() + Math.max(0, lifetimeMs - config.refreshSkewMs) };
  }

  async function token(): Promise<string> {
    if (cached && Date.now() < cached.refreshAt) return cached.value;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached.value;
  }

  return {
    headersFor: async () => ({ authorization: `Bearer ${await token()}` }),
    rejected: () => {
      // A revoked or rotated token: fetch a new one rather than fail until it would have expired.
      cached = undefined;
      return true;
    },
  };
}
