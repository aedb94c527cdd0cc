/**
 * What the registry stores about tenants: per variant, an append-only chain of immutable tenant
 * versions (one per change, ids monotonic across the variant's tenant set) and the current record
 * of each tenant. API keys appear only as SHA-256 hashes.
 */
import type { Plan } from './plan';
import type { Policy } from './policy';

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
