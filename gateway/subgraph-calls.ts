/**
 * How the gateway calls subgraphs: every request carries the principal, signed with the body so a
 * subgraph can trust it (see core/principal-signature.ts). Client headers are never forwarded, so a
 * client cannot pose as another tenant by sending identity headers of its own.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { encodePrincipal, PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../core/principal-signature';
import type { Principal } from './auth/principal';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

interface PrincipalContext {
  principal?: Principal;
}

/** Wraps a fetcher so each request gets a fresh signature over its final body. */
export function signingFetcher(secret: string, base: Fetcher = fetch as unknown as Fetcher): Fetcher {
  return (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const principal = headers[PRINCIPAL_HEADER];
    if (principal !== undefined) headers[SIGNATURE_HEADER] = signRequest(secret, principal, typeof init?.body === 'string' ? init.body : '');
    return base(url, { ...init, headers });
  };
}

export class SignedDataSource extends RemoteGraphQLDataSource<PrincipalContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<PrincipalContext>['willSendRequest']>>[0]): void {
    // The gateway's own calls (e.g. health checks) have no principal: sign as the gateway itself.
    const principal = context?.principal ?? { tenant: 'gateway', subject: 'gateway', roles: [], scopes: [] };
    request.http!.headers.set(PRINCIPAL_HEADER, encodePrincipal(principal));
  }
}

export function signedServiceBuilder(secret: string): (definition: { name: string; url?: string }) => SignedDataSource {
  const fetcher = signingFetcher(secret);
  return ({ url }) => new SignedDataSource({ url, fetcher });
}
