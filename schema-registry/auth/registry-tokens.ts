/**
 * Registry tokens: bearer secrets the registry knows only by their SHA-256, each with scopes.
 * Configured as JSON in `CHARTER_REGISTRY_TOKENS` (or passed to `startRegistry`):
 *
 *   [{"id": "ci-books", "tokenSha256": "<hex>", "scopes": ["publish"], "subgraphs": ["books"]}]
 *
 * The older `role` form (admin | publisher | reader) is still read and mapped to scopes.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { SCOPES, type Actor, type Scope } from './actor';

const ROLE_SCOPES: Record<'admin' | 'publisher' | 'reader', Scope[]> = {
  admin: ['admin'],
  publisher: ['publish'],
  // A reader is what a gateway needs: read the supergraph and tenants, report field usage.
  reader: ['read', 'report-usage'],
};

export const registryTokenSchema = z
  .object({
    /** A name for logs and audit records (which team or gateway). */
    id: z.string().min(1).max(64).optional(),
    /** Legacy alias of `id`. */
    name: z.string().min(1).optional(),
    /** SHA-256 of the token, hex. */
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters'),
    scopes: z.array(z.enum(SCOPES)).min(1).optional(),
    /** Legacy: a role instead of scopes. */
    role: z.enum(['admin', 'publisher', 'reader']).optional(),
    /** For publish: the subgraphs the token may change; absent means all. */
    subgraphs: z.array(z.string().min(1)).optional(),
    /** insight: the tenants whose call log and analytics the token may read; absent means all. */
    tenants: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((t) => (t.scopes === undefined) !== (t.role === undefined), { message: 'give exactly one of "scopes" or "role"' });

export type RegistryTokenInput = z.input<typeof registryTokenSchema>;

/** A configured token, normalised: an id and its scopes. */
export interface RegistryToken {
  id: string;
  tokenSha256: string;
  scopes: Scope[];
  subgraphs?: string[];
  tenants?: string[];
}

/** Validates token entries; throws an Error naming the bad entry and key. */
export function normaliseRegistryTokens(raw: unknown, source = 'CHARTER_REGISTRY_TOKENS'): RegistryToken[] {
  const parsed = z.array(registryTokenSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data.map((t, index) => ({
    id: t.id ?? t.name ?? `token-${index + 1}`,
    tokenSha256: t.tokenSha256,
    scopes: t.scopes ?? ROLE_SCOPES[t.role!],
    ...(t.subgraphs ? { subgraphs: t.subgraphs } : {}),
    ...(t.tenants ? { tenants: t.tenants } : {}), // insight
  }));
}

/** Parses `CHARTER_REGISTRY_TOKENS` (a JSON array); throws an Error naming the bad entry and key. */
export function parseRegistryTokens(json: string, source = 'CHARTER_REGISTRY_TOKENS'): RegistryToken[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return normaliseRegistryTokens(raw, source);
}

export function sha256Hex(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A fresh random token (what `charter dev` hands out); 32 bytes, URL-safe. */
export function generateRegistryToken(): string {
  return `crt_${crypto.randomBytes(32).toString('base64url')}`;
}

/**
 * Finds the token a presented secret belongs to. Every stored digest is compared with
 * `timingSafeEqual` and the loop never stops early, so the time taken says nothing about which
 * token (or how much of a digest) matched.
 */
export function matchRegistryToken(tokens: readonly RegistryToken[], presented: string): Actor | null {
  const digest = crypto.createHash('sha256').update(presented).digest();
  let found: RegistryToken | null = null;
  for (const token of tokens) {
    if (crypto.timingSafeEqual(digest, Buffer.from(token.tokenSha256, 'hex')) && found === null) found = token;
  }
  if (!found) return null;
  return { kind: 'token', id: found.id, scopes: found.scopes, ...(found.subgraphs ? { subgraphs: found.subgraphs } : {}), ...(found.tenants ? { tenants: found.tenants } : {}) };
}
