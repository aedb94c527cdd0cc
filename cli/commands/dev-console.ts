/**
 * The console in `charter dev`: demo users (a platform admin and one member per demo tenant) with
 * passwords generated once and kept in `.charter/demo-keys.json` (0600) beside the demo API keys,
 * and the configured tenants as registry records, so the first approved access request of a demo
 * tenant writes its first registry version (keys carried over as hashes, so its demo key keeps working).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../core/atomic-file';
import { ensureDemoKeys, hashApiKey } from '../../gateway/auth/api-keys';
import { parsePolicy } from '../../tenancy/policy';
import type { Tenant } from '../../tenancy/tenant';
import type { TenantRecord } from '../../tenancy/tenant-records';
import { generatePassword } from '../../schema-registry/console/passwords';
import type { ConsoleRole } from '../../schema-registry/console/records';
import type { ConsoleService } from '../../schema-registry/console/console-service';

export interface DemoConsoleUser {
  username: string;
  password: string;
  roles: ConsoleRole[];
  /** What the user is for, in the banner. */
  note: string;
}

const FILE = 'demo-keys.json';

/** Reads the demo console users from demo-keys.json, adding any missing ones (passwords made once). */
export function ensureDemoConsoleUsers(dataDir: string, tenants: readonly Tenant[]): DemoConsoleUser[] {
  const file = path.join(dataDir, FILE);
  let current: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) current = parsed as Record<string, unknown>;
  } catch {
    current = {};
  }
  const stored = ((current.console as { users?: DemoConsoleUser[] } | undefined)?.users ?? []).filter((u) => typeof u?.password === 'string' && u.password.length >= 12);
  const wanted: Array<Omit<DemoConsoleUser, 'password'>> = [
    { username: 'admin', roles: [{ role: 'platform-admin' }], note: 'platform admin: approves access requests, reads the audit log' },
    ...tenants.map((t) => ({ username: `${t.id}-member`, roles: [{ role: 'tenant-member' as const, tenant: t.id }], note: `member of tenant ${t.id}` })),
  ];
  const users = wanted.map((w) => ({ ...w, password: stored.find((s) => s.username === w.username)?.password ?? generatePassword() }));
  const changed = users.some((u) => !stored.some((s) => s.username === u.username && s.password === u.password));
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, JSON.stringify({ ...current, console: { users } }, null, 2) + '\n', 0o600);
    fs.chmodSync(file, 0o600);
  }
  return users;
}

export async function seedDemoConsoleUsers(service: ConsoleService, users: readonly DemoConsoleUser[]): Promise<void> {
  for (const u of users) await service.putUser({ username: u.username, password: u.password, roles: u.roles });
}

/** The configured tenants as registry records for the console's first policy change of each. */
export function configuredTenantRecords(dataDir: string, tenants: Tenant[]): (tenantId: string) => TenantRecord | null {
  return (tenantId) => {
    const tenant = tenants.find((t) => t.id === tenantId);
    if (!tenant) return null;
    const demo = tenant.apiKeys.some((k) => 'demo' in k) ? ensureDemoKeys(dataDir, tenants) : [];
    const apiKeys = tenant.apiKeys.flatMap((slot) => {
      if ('sha256' in slot) return [{ id: slot.id, sha256: slot.sha256 }];
      const key = demo.find((k) => k.tenant === tenant.id && k.keyId === slot.id);
      return key ? [{ id: slot.id, sha256: hashApiKey(key.apiKey) }] : [];
    });
    const parsed = tenant.policy === undefined ? null : parsePolicy(tenant.policy);
    return {
      id: tenant.id,
      ...(tenant.description !== undefined ? { description: tenant.description } : {}),
      roles: tenant.roles,
      scopes: tenant.scopes,
      plan: tenant.plan,
      apiKeys,
      ...(parsed?.status === 'valid' ? { policy: parsed.policy } : {}),
    };
  };
}
