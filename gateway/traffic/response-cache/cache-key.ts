/**
 * The response cache key. Two requests may share a cached answer only if they would certainly get
 * the same answer, so the key holds everything the answer depends on:
 * - tenant, its policy version and the caller's permission set: the policy removes fields per
 *   role and scope, so a cached answer must never cross tenants or permission sets;
 * - supergraph version: a new supergraph may resolve the same operation differently;
 * - the operation (hash of its text, and its name: one document may hold several operations);
 * - the variables, in a canonical form so `{a,b}` and `{b,a}` hit the same entry;
 * - for PRIVATE answers, the principal itself.
 */
import { createHash } from 'node:crypto';

export interface CacheKeyParts {
  tenant: string;
  policyVersion: string;
  supergraphVersion: string;
  /** sha256 of the operation text. */
  operationHash: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The caller's roles and scopes in canonical form (see `permissionSetOf`). */
  permissionSet: string;
  /** The principal's subject; set only when the answer's scope is PRIVATE. */
  principalScope?: string;
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`).join(',')}}`;
}

/** A canonical text of a principal's roles and scopes: order and duplicates do not matter. */
export function permissionSetOf(principal: { roles?: readonly string[]; scopes?: readonly string[] }): string {
  const canonical = (list: readonly string[] = []): string[] => [...new Set(list)].sort();
  return stableStringify({ roles: canonical(principal.roles), scopes: canonical(principal.scopes) });
}

export function cacheKeyFor(parts: CacheKeyParts): string {
  // An array keeps the components apart: no value can run into its neighbour.
  const text = stableStringify([
    parts.tenant,
    parts.policyVersion,
    parts.supergraphVersion,
    parts.permissionSet,
    parts.operationHash,
    parts.operationName ?? null,
    parts.variables ?? {},
    parts.principalScope ?? null,
  ]);
  return createHash('sha256').update(text).digest('hex');
}
