/**
 * The console API client: same-origin fetches (the session cookie is HttpOnly: this code never sees
 * it) with the session's CSRF token on every state change.
 */
export type Role = { role: 'platform-admin' } | { role: 'team-owner'; team: string } | { role: 'tenant-admin'; tenant: string } | { role: 'tenant-member'; tenant: string };
export interface User {
  username: string;
  roles: Role[];
}
export interface Field {
  coordinate: string;
  name: string;
  type: string;
  description: string | null;
  args: Array<{ name: string; type: string; description: string | null; defaultValue: unknown }>;
  deprecationReason: string | null;
  subgraph: string | null;
  owner: string | null;
  usage7d: { count: number; clients: Array<{ client: string; count: number }> };
  access?: 'allowed' | 'request-access' | 'pending';
}
export interface CatalogType {
  name: string;
  kind: string;
  description: string | null;
  fields: Field[];
}
export interface Catalog {
  variant: string;
  versionId: number | null;
  tenant: string | null;
  subgraphs: Array<{ name: string; owner: string | null; status: string; url?: string; version: number | null; updatedAt: string | null }>;
  types: CatalogType[];
}
export interface AccessRequest {
  id: string;
  tenant: string;
  coordinates: string[];
  reason: string;
  requestedBy: string;
  createdAt: string;
  status: 'pending' | 'approved' | 'rejected' | 'revoked';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  policyVersion?: number;
  revokedPolicyVersion?: number;
}
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target?: string;
  tenant?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

export interface ChangelogEntry {
  id: number;
  action: string;
  subgraph: string | null;
  author: string | null;
  createdAt: string;
  forced: { reason: string; by: string } | null;
  changes: Array<{ criticality: string; type: string; coordinate: string; message: string }>;
}

export const VARIANT = 'prod';
let csrfToken: string | null = null;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/console/api${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await res.json().catch(() => null)) as any;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'ERROR', data?.error?.message ?? `The console API answered ${res.status}`);
  return data as T;
}

export const api = {
  async session(): Promise<User | null> {
    try {
      const s = await call<{ user: User; csrfToken: string }>('GET', '/session');
      csrfToken = s.csrfToken;
      return s.user;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  async signIn(username: string, password: string): Promise<User> {
    const s = await call<{ user: User; csrfToken: string }>('POST', '/session', { username, password });
    csrfToken = s.csrfToken;
    return s.user;
  },
  async signOut(): Promise<void> {
    await call('DELETE', '/session');
    csrfToken = null;
  },
  catalog: (q = '') => call<Catalog>('GET', `/variants/${VARIANT}/catalog${q ? `?q=${encodeURIComponent(q)}` : ''}`),
  versions: () => call<{ versions: ChangelogEntry[] }>('GET', `/variants/${VARIANT}/versions`).then((r) => r.versions),
  requests: (status?: string) => call<{ requests: AccessRequest[] }>('GET', `/variants/${VARIANT}/requests${status ? `?status=${status}` : ''}`).then((r) => r.requests),
  requestAccess: (tenant: string, coordinates: string[], reason: string) => call<{ request: AccessRequest }>('POST', `/variants/${VARIANT}/requests`, { tenant, coordinates, reason }).then((r) => r.request),
  decide: (id: string, decision: 'approve' | 'reject' | 'revoke', comment: string) => call<{ request: AccessRequest }>('POST', `/variants/${VARIANT}/requests/${encodeURIComponent(id)}/${decision}`, comment ? { comment } : {}).then((r) => r.request),
  audit: (params: { action?: string; beforeId?: number } = {}) => {
    const q = new URLSearchParams({ limit: '100', ...(params.action ? { action: params.action } : {}), ...(params.beforeId ? { beforeId: String(params.beforeId) } : {}) });
    return call<{ entries: AuditEntry[] }>('GET', `/audit?${q}`).then((r) => r.entries);
  },
};

export const isAdmin = (u: User): boolean => u.roles.some((r) => r.role === 'platform-admin');
export const teamsOf = (u: User): string[] => u.roles.flatMap((r) => (r.role === 'team-owner' ? [r.team] : []));
export const tenantsOf = (u: User): string[] => [...new Set(u.roles.flatMap((r) => (r.role === 'tenant-member' || r.role === 'tenant-admin' ? [r.tenant] : [])))];
export const mayReadAudit = (u: User): boolean => isAdmin(u) || u.roles.some((r) => r.role === 'tenant-admin');
export const roleLabel = (r: Role): string => (r.role === 'platform-admin' ? 'Platform admin' : r.role === 'team-owner' ? `Owner · ${r.team}` : r.role === 'tenant-admin' ? `Admin · ${r.tenant}` : `Member · ${r.tenant}`);
