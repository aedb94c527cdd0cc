/** The registry's storage of tenant versions (file and Redis implementations share this contract). */
import type { StoredTenant, TenantSet, TenantVersion, TenantVersionDraft } from '../../tenancy/tenant-records';

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
