/**
 * What the CLI uses to call the console API (`/console/api/…`) with a registry token: the token
 * must have the admin scope, and the registry treats it as a platform admin (audited as
 * `token:<id>`). Browsers use the same API with a session cookie instead.
 */
import type { RegistryResponse } from './registry-client';

export class ConsoleApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  listRequests(variant: string, params: { status?: string; tenant?: string } = {}): Promise<RegistryResponse> {
    return this.call('GET', `/variants/${encodeURIComponent(variant)}/requests${query(params)}`);
  }

  createRequest(variant: string, input: { tenant: string; coordinates: string[]; reason: string }): Promise<RegistryResponse> {
    return this.call('POST', `/variants/${encodeURIComponent(variant)}/requests`, input);
  }

  decide(variant: string, id: string, decision: 'approve' | 'reject' | 'revoke', comment?: string): Promise<RegistryResponse> {
    return this.call('POST', `/variants/${encodeURIComponent(variant)}/requests/${encodeURIComponent(id)}/${decision}`, comment ? { comment } : {});
  }

  audit(params: { limit?: number; beforeId?: number; tenant?: string; action?: string } = {}): Promise<RegistryResponse> {
    return this.call('GET', `/audit${query(params)}`);
  }

  createUser(input: { username: string; password: string; roles: unknown[]; displayName?: string }): Promise<RegistryResponse> {
    return this.call('POST', '/users', input);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RegistryResponse> {
    const res = await fetch(`${this.baseUrl}/console/api${path}`, {
      method,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
}
