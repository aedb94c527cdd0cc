/**
 * Registry tokens: bearer secrets known to the registry only by their SHA-256. An admin may do
 * anything; a publisher may publish, check and change the lifecycle of the subgraphs it owns (all,
 * when its token names none); a reader (a gateway) may read and report usage. With no tokens
 * configured the registry is open (the embedded default), which the server logs as a warning.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { unreachable } from '../core/errors';

export const registryTokenSchema = z
  .object({
    /** SHA-256 of the token, hex. */
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters'),
    role: z.enum(['admin', 'publisher', 'reader']),
    /** For publishers: the subgraphs the token may change; absent means all. */
    subgraphs: z.array(z.string().min(1)).optional(),
    /** A name for logs (which team or gateway). */
    name: z.string().optional(),
  })
  .strict();

export type RegistryToken = z.infer<typeof registryTokenSchema>;
export type RegistryRole = RegistryToken['role'];

export interface RegistryPrincipal {
  role: RegistryRole;
  subgraphs?: string[];
  name?: string;
  /** True when no tokens are configured and everything is allowed. */
  open: boolean;
}

export type RegistryAction = 'read' | 'report-usage' | 'check' | 'publish' | 'admin';

export type Authentication = { ok: true; principal: RegistryPrincipal } | { ok: false; reason: string };
export type Authorization = { ok: true } | { ok: false; reason: string };

/** Parses `CHARTER_REGISTRY_TOKENS` (a JSON array); throws an Error naming the bad entry and key. */
export function parseRegistryTokens(json: string, source = 'CHARTER_REGISTRY_TOKENS'): RegistryToken[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = z.array(registryTokenSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function sha256Hex(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

const OPEN: RegistryPrincipal = { role: 'admin', open: true };

export class RegistryAuth {
  private readonly byHash: Map<string, RegistryToken>;

  constructor(tokens: RegistryToken[] = []) {
    this.byHash = new Map(tokens.map((t) => [t.tokenSha256, t]));
  }

  get open(): boolean {
    return this.byHash.size === 0;
  }

  /** Who an `Authorization: Bearer …` header belongs to. */
  authenticate(authorization: string | undefined): Authentication {
    if (this.open) return { ok: true, principal: OPEN };
    if (!authorization) return { ok: false, reason: 'missing registry token: send "Authorization: Bearer <token>"' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'malformed Authorization header: expected "Bearer <token>"' };
    // Looked up by hash: the secret is never compared directly, and the stored form cannot be replayed.
    const token = this.byHash.get(sha256Hex(match[1]!));
    if (!token) return { ok: false, reason: 'unknown registry token' };
    return { ok: true, principal: { role: token.role, subgraphs: token.subgraphs, name: token.name, open: false } };
  }
}

/** Whether `principal` may do `action` (on `subgraph`, for publish-scoped actions). */
export function authorize(principal: RegistryPrincipal, action: RegistryAction, subgraph?: string): Authorization {
  switch (principal.role) {
    case 'admin':
      return { ok: true };
    case 'publisher':
      if (action === 'admin') return { ok: false, reason: 'this action needs an admin token; this token is a publisher token' };
      if (action === 'publish' && subgraph !== undefined && principal.subgraphs && !principal.subgraphs.includes(subgraph)) {
        return { ok: false, reason: `this token may only change subgraphs ${principal.subgraphs.map((s) => `"${s}"`).join(', ')}, not "${subgraph}"` };
      }
      return { ok: true };
    case 'reader':
      if (action === 'read' || action === 'report-usage' || action === 'check') return { ok: true };
      return { ok: false, reason: `this action needs a publisher or admin token; this token is read-only` };
    default: {
      return unreachable(principal.role);
    }
  }
}
