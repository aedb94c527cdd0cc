/**
 * JWT bearer tokens: HS256 with a shared secret, or RS256/ES256 keys from a JWKS URL (jose).
 * Issuer and audience are always checked; claims map to tenant, roles and scopes. Whatever fails
 * (expired, forged, wrong audience, unknown tenant) the caller only learns "invalid credentials".
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Principal } from './principal';

export const jwtConfigSchema = z
  .object({
    issuer: z.string().min(1),
    audience: z.string().min(1),
    /** Name of the environment variable holding the HS256 secret. */
    hs256SecretEnv: z.string().optional(),
    /** JWKS endpoint for RS256/ES256 keys. */
    jwksUrl: z.string().url().optional(),
    claims: z
      .object({
        tenant: z.string().default('tenant'),
        roles: z.string().default('roles'),
        scopes: z.string().default('scope'),
      })
      .strict()
      .default({}),
    clockToleranceSec: z.number().int().min(0).default(5),
  })
  .strict()
  .refine((c) => c.hs256SecretEnv || c.jwksUrl, { message: 'set hs256SecretEnv or jwksUrl' });

export type JwtConfig = z.infer<typeof jwtConfigSchema>;

export type JwtVerifier = (token: string) => Promise<Principal | null>;

export function createJwtVerifier(config: JwtConfig, knownTenant: (id: string) => boolean, env: NodeJS.ProcessEnv = process.env): JwtVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
    algorithms = ['RS256', 'ES256'];
  } else {
    const secret = env[config.hs256SecretEnv!];
    if (!secret) throw new Error(`auth.jwt.hs256SecretEnv: environment variable ${config.hs256SecretEnv} is not set`);
    key = new TextEncoder().encode(secret);
    algorithms = ['HS256'];
  }
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, { issuer: config.issuer, audience: config.audience, algorithms, clockTolerance: config.clockToleranceSec }));
    } catch {
      return null;
    }
    const tenant = payload[config.claims.tenant];
    if (typeof tenant !== 'string' || !knownTenant(tenant) || typeof payload.sub !== 'string') return null;
    return { tenant, subject: payload.sub, roles: listClaim(payload[config.claims.roles]), scopes: listClaim(payload[config.claims.scopes]) };
  };
}

/** A claim given as an array of strings or as one space-separated string (OAuth's `scope`). */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return [];
}
