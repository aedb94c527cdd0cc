/** A client of the registry's tenant routes (policies-api.ts), for gateways, the CLI and tests. */
import type { RegistryResponse } from '../client';
import type { TenantSet } from './types';

export interface FetchedTenantSet extends TenantSet {
  etag: string;
}

export class TenantRegistryClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** The variant's tenant set, or `null` when it is the one named by `etag` (nothing changed). */
  async fetchTenants(variant: string, options: { etag?: string; waitMs?: number; signal?: AbortSignal } = {}): Promise<FetchedTenantSet | null> {
    const query = options.waitMs ? `?waitMs=${options.waitMs}` : '';
    const res = await fetch(`${this.tenantsUrl(variant)}${query}`, {
      headers: { ...this.authHeaders(), ...(options.etag ? { 'if-none-match': options.etag } : {}) },
      signal: options.signal,
    });
    if (res.status === 304) return null;
    const body = (await res.json().catch(() => null)) as (TenantSet & { error?: { message?: string } }) | null;
    if (!res.ok || !body) throw new Error(`registry answered ${res.status}: ${body?.error?.message ?? 'no message'}`);
    return { variant: body.variant, versionId: body.versionId, tenants: body.tenants, etag: res.headers.get('etag') ?? '' };
  }

  /** Creates or replaces a tenant: 201 created, 200 saved or unchanged, 422 naming unknown coordinates. */
  putTenant(variant: string, tenant: string, body: Record<string, unknown>): Promise<RegistryResponse> {
    return this.send('PUT', `${this.tenantsUrl(variant)}/${encodeURIComponent(tenant)}`, body);
  }

  getTenant(variant: string, tenant: string): Promise<RegistryResponse> {
    return this.send('GET', `${this.tenantsUrl(variant)}/${encodeURIComponent(tenant)}`);
  }

  history(variant: string, tenant: string, limit = 50): Promise<RegistryResponse> {
    return this.send('GET', `${this.tenantsUrl(variant)}/${encodeURIComponent(tenant)}/history?limit=${limit}`);
  }

  /** 201 with `{keyId, apiKey}`: the only time the key is ever shown. */
  createApiKey(variant: string, tenant: string, body: { id?: string; author?: string } = {}): Promise<RegistryResponse> {
    return this.send('POST', `${this.tenantsUrl(variant)}/${encodeURIComponent(tenant)}/api-keys`, body);
  }

  deleteApiKey(variant: string, tenant: string, keyId: string): Promise<RegistryResponse> {
    return this.send('DELETE', `${this.tenantsUrl(variant)}/${encodeURIComponent(tenant)}/api-keys/${encodeURIComponent(keyId)}`);
  }

  private tenantsUrl(variant: string): string {
    return `${this.baseUrl}/api/variants/${encodeURIComponent(variant)}/tenants`;
  }

  private async send(method: string, url: string, body?: unknown): Promise<RegistryResponse> {
    const res = await fetch(url, {
      method,
      // Always typed, even without a body: the registry refuses untyped writes (a browser's CSRF shape).
      headers: { 'content-type': 'application/json', ...this.authHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status} with no JSON body` } })) };
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
