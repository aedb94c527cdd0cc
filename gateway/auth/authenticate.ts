/**
 * Identify the caller once per request from a verified credential: an API key (`x-api-key`) or a
 * JWT bearer token. With no credentials configured at all, requests are anonymous.
 */
import type http from 'node:http';
import type { ApiKeyDirectory } from './api-keys';
import type { JwtVerifier } from './jwt';
import { ANONYMOUS, type Principal } from './principal';

export type Authenticator = (req: http.IncomingMessage) => Promise<Principal | null> | Principal | null;

export function createAuthenticator(options: { keys?: ApiKeyDirectory | null; jwt?: JwtVerifier | null }): Authenticator & { anonymous: boolean } {
  const keys = options.keys && options.keys.size > 0 ? options.keys : null;
  const jwt = options.jwt ?? null;
  const anonymous = !keys && !jwt;
  const authenticate = (req: http.IncomingMessage): Promise<Principal | null> | Principal | null => {
    if (anonymous) return ANONYMOUS;
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') return keys && key.length > 0 && key.length <= 256 ? keys.lookup(key) : null;
    const authorization = req.headers.authorization;
    if (jwt && typeof authorization === 'string' && authorization.startsWith('Bearer ') && authorization.length < 8192) return jwt(authorization.slice(7).trim());
    return null;
  };
  return Object.assign(authenticate, { anonymous });
}
