/**
 * Identify the caller once per request from a verified credential: an API key (`x-api-key`, or as
 * a bearer token the way OpenAI clients send theirs) or a JWT bearer token. With no credentials configured at all, requests are anonymous. That is decided
 * per request, not at start: tenants and keys can arrive from the registry while the gateway runs,
 * and the first key must close anonymous access at once.
 */
import type http from 'node:http';
import type { ApiKeyDirectory } from './api-keys';
import type { JwtVerifier } from './jwt';
import { ANONYMOUS, type Principal } from './principal';

export type Authenticator = ((req: http.IncomingMessage) => Promise<Principal | null> | Principal | null) & {
  /** Whether requests are anonymous right now (no keys and no JWT issuer). */
  readonly anonymous: boolean;
};

export function createAuthenticator(options: { keys?: ApiKeyDirectory | null; jwt?: JwtVerifier | null }): Authenticator {
  const keys = options.keys ?? null;
  const jwt = options.jwt ?? null;
  const isAnonymous = (): boolean => !jwt && (!keys || keys.size === 0);
  const authenticate = (req: http.IncomingMessage): Promise<Principal | null> | Principal | null => {
    if (isAnonymous()) return ANONYMOUS;
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') return keys && key.length > 0 && key.length <= 256 ? keys.lookup(key) : null;
    const authorization = req.headers.authorization;
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ') || authorization.length >= 8192) return null;
    const token = authorization.slice(7).trim();
    // A bearer token that is not a JWT (no three dot-separated parts) is an API key: that is how
    // clients written for the OpenAI API send theirs.
    if (token.split('.').length !== 3) return keys && token.length > 0 && token.length <= 256 ? keys.lookup(token) : null;
    return jwt ? jwt(token) : null;
  };
  return Object.defineProperty(authenticate, 'anonymous', { get: isAnonymous }) as Authenticator;
}
