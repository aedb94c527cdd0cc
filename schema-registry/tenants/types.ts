/**
 * What the registry stores about tenants: per variant, an append-only chain of immutable tenant
 * versions (one per change, ids monotonic across the variant's tenant set) and the current record
 * of each tenant. API keys appear only as SHA-256 hashes.
 */
import type { Plan } from '../../gateway/plan';
import type { Policy } from '../../gateway/policy/policy';

/** An API key as stored: its id and the SHA-256 (hex) of the key, never the key. */
export interface StoredApiKey {
  id: string;
  sha256: string;
  createdAt?: string;
}

/** A tenant as an administrator describes it. */
export interface TenantRecord {
  id: string;
  description?: string;
  roles: string[];
  scopes: string[];
  /** Rate limits, AI budget: free-form, read by the gateway's plan enforcement. */
  plan: Plan;
  apiKeys: StoredApiKey[];
  /** The parsed field policy (defaults applied, no `version`: the gateway derives it from `version`). */
  policy?: Policy;
}

/** The current record of a tenant, with the tenant version that last changed it. */
export interface StoredTenant extends TenantRecord {
  version: number;
  updatedAt: string;
  author?: string;
}

export type TenantAction = 'put' | 'create-key' | 'delete-key';

/** One accepted change to one tenant: never modified once written. */
export interface TenantVersion {
  /** Monotonic within the variant's tenant set, starting at 1. */
  id: number;
  variant: string;
  parentId: number | null;
  tenant: string;
  action: TenantAction;
  /** For key changes: which key (its id, never the key). */
  keyId?: string;
  author?: string;
  createdAt: string;
  /** The tenant's whole record after this change. */
  record: TenantRecord;
}

export type TenantVersionDraft = Pick<TenantVersion, 'tenant' | 'action' | 'keyId' | 'author' | 'record'>;

/** A variant's tenant set: every current tenant and the version id of the set (null: none yet). */
export interface TenantSet {
  variant: string;
  versionId: number | null;
  tenants: StoredTenant[];
}

export type TenantAppendResult = { ok: true; version: TenantVersion } | { ok: false; reason: 'CONFLICT'; headId: number | null };

/**
 * Durable storage of tenant versions. An append is compare-and-set on the variant's tenant head,
 * so two registry replicas changing tenants at once cannot both build on the same parent.
 */
export interface TenantStore {
  headId(variant: string): Promise<number | null>;
  list(variant: string): Promise<TenantSet>;
  get(variant: string, tenant: string): Promise<StoredTenant | null>;
  /** The tenant's versions, newest first. */
  history(variant: string, tenant: string, limit?: number): Promise<TenantVersion[]>;
  append(variant: string, expectedHeadId: number | null, draft: TenantVersionDraft): Promise<TenantAppendResult>;
  close(): Promise<void>;
}

/** The new version and the tenant's stored record it produces (shared by every store). */
export function buildTenantVersion(variant: string, expectedHeadId: number | null, draft: TenantVersionDraft): { version: TenantVersion; stored: StoredTenant } {
  const version: TenantVersion = { ...draft, id: (expectedHeadId ?? 0) + 1, parentId: expectedHeadId, variant, createdAt: new Date().toISOString() };
  const stored: StoredTenant = { ...draft.record, version: version.id, updatedAt: version.createdAt, ...(draft.author ? { author: draft.author } : {}) };
  return { version, stored };
}

export const TENANT_VARIANT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
