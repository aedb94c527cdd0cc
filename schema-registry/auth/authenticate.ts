/**
 * Turns a registry request into an `Actor`: the request guard (Host, Origin, body type), then the
 * first credential reader that recognises a credential. A credential that is present but wrong is
 * refused (never "fall through to the next kind"), so a bad token cannot be rescued by a cookie.
 *
 * Credential kinds are pluggable (`CredentialReader`): bearer tokens today; a console session
 * cookie adds a reader here and a member to `Actor`.
 */
import type http from 'node:http';
import { CharterError } from '../../core/errors';
import type { Actor } from './actor';
import { matchRegistryToken, type RegistryToken } from './registry-tokens';
import { guardRequest, type RequestGuardOptions } from './request-guard';

/** What a reader found: no credential of its kind, a valid one, or an invalid one (with why). */
export type CredentialResult = { kind: 'absent' } | { kind: 'actor'; actor: Actor } | { kind: 'invalid'; reason: string };

export type CredentialReader = (req: http.IncomingMessage) => CredentialResult | Promise<CredentialResult>;

/** `Authorization: Bearer <token>` against the configured registry tokens. */
export function bearerTokenReader(tokens: readonly RegistryToken[]): CredentialReader {
  return (req) => {
    const header = req.headers.authorization;
    if (header === undefined) return { kind: 'absent' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return { kind: 'invalid', reason: 'malformed Authorization header: expected "Bearer <token>"' };
    const actor = matchRegistryToken(tokens, match[1]!);
    return actor ? { kind: 'actor', actor } : { kind: 'invalid', reason: 'unknown registry token' };
  };
}

export interface RegistryAuthenticatorOptions extends RequestGuardOptions {
  credentials: CredentialReader[];
  /** A request with no credential acts as `insecure-dev` (only `charter registry --insecure-dev` on loopback sets this). */
  insecureDev?: boolean;
}

export class RegistryAuthenticator {
  constructor(private readonly options: RegistryAuthenticatorOptions) {}

  get insecureDev(): boolean {
    return this.options.insecureDev === true;
  }

  /** Guards the request, then returns who sent it; throws a CharterError (421/403/415/401) otherwise. */
  async actorOf(req: http.IncomingMessage): Promise<Actor> {
    guardRequest(req, this.options);
    for (const read of this.options.credentials) {
      const found = await read(req);
      if (found.kind === 'actor') return found.actor;
      if (found.kind === 'invalid') throw new CharterError('UNAUTHENTICATED', found.reason);
    }
    if (this.options.insecureDev) return { kind: 'insecure-dev' };
    throw new CharterError('UNAUTHENTICATED', 'missing registry token: send "Authorization: Bearer <token>"');
  }
}
