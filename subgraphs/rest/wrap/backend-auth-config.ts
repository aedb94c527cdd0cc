/**
 * The `auth:` section of a REST mapping: how a subgraph proves itself to its backend. Secrets are
 * never written in the mapping, only the names of the environment variables holding them.
 */
import { z } from 'zod';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');
const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name');

export const backendAuthSchema = z.discriminatedUnion('type', [
  /** A static API key sent in a header (default `X-Api-Key`). */
  z.object({ type: z.literal('apiKey'), header: headerName.default('X-Api-Key'), env: envName }).strict(),
  /** A static bearer token: `Authorization: Bearer <token>`. */
  z.object({ type: z.literal('bearer'), env: envName }).strict(),
  /**
   * The caller's verified principal, signed like the gateway signs it for subgraphs
   * (`x-charter-principal` + `x-charter-signature`, HMAC over principal and body).
   */
  z.object({ type: z.literal('principal'), secretEnv: envName.default('CHARTER_SUBGRAPH_SECRET') }).strict(),
  /** OAuth2 client credentials: a token fetched from `tokenUrl`, cached until shortly before it expires. */
  z
    .object({
      type: z.literal('oauth2'),
      tokenUrl: z.string().url(),
      clientIdEnv: envName,
      clientSecretEnv: envName,
      scope: z.string().optional(),
      /** Refresh this long before `expires_in` runs out, so a token never expires in flight. */
      refreshSkewMs: z.number().int().nonnegative().default(30_000),
    })
    .strict(),
]);

export type BackendAuthConfig = z.output<typeof backendAuthSchema>;
