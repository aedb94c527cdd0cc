/**
 * Who is using the console once their session (or an admin registry token) is verified, and the
 * role questions every console route asks on the server. The UI hiding a button is not a check.
 */
import type { ConsoleRole } from './records';

export type ConsolePrincipal =
  /** A signed-in console user. */
  | { kind: 'user'; username: string; roles: readonly ConsoleRole[] }
  /** A registry token with the admin scope (the CLI): acts as a platform admin. */
  | { kind: 'token'; id: string };

export function principalLabel(p: ConsolePrincipal): string {
  return p.kind === 'user' ? `user:${p.username}` : `token:${p.id}`;
}

export function isPlatformAdmin(p: ConsolePrincipal): boolean {
  return p.kind === 'token' || p.roles.some((r) => r.role === 'platform-admin');
}

/** Tenants the principal belongs to (member or admin). */
export function tenantsOf(p: ConsolePrincipal): string[] {
  if (p.kind === 'token') return [];
  return [...new Set(p.roles.flatMap((r) => (r.role === 'tenant-member' || r.role === 'tenant-admin' ? [r.tenant] : [])))];
}

export function isTenantAdmin(p: ConsolePrincipal, tenant: string): boolean {
  return isPlatformAdmin(p) || (p.kind === 'user' && p.roles.some((r) => r.role === 'tenant-admin' && r.tenant === tenant));
}

export function isTenantMember(p: ConsolePrincipal, tenant: string): boolean {
  return p.kind === 'user' && tenantsOf(p).includes(tenant);
}

/** Teams whose subgraphs the principal owns. */
export function teamsOf(p: ConsolePrincipal): string[] {
  if (p.kind === 'token') return [];
  return p.roles.flatMap((r) => (r.role === 'team-owner' ? [r.team] : []));
}

/** May read the tenant's private data (requests, audit entries, policy decisions)? */
export function maySeeTenant(p: ConsolePrincipal, tenant: string): boolean {
  return isPlatformAdmin(p) || isTenantMember(p, tenant);
}
